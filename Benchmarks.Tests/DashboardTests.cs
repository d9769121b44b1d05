using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Benchmarks.Tests;

/// <summary>
/// The dashboard in a real browser, clicked through as a user would: the resources, a compare run with its table, the
/// CPU graphs, the report it wrote. Each step leaves a screenshot in TestResults; scripts/screenshots.sh copies them
/// into docs/screenshots for the README.
/// </summary>
[Collection(ChainCollection.Name)]
public sealed class DashboardTests(ChainApp chain, DashboardTests.Chromium chromium) : IClassFixture<DashboardTests.Chromium>, IAsyncLifetime
{
    private const string Compare = "Compare REST vs gRPC";
    private IBrowserContext? context;

    [SkippableFact]
    public async Task A_compare_run_from_the_dashboard_shows_its_table_the_cpu_of_both_chains_and_its_report()
    {
        var page = await OpenDashboardAsync();

        foreach (var resource in ChainApp.Services.Append("loadgen"))
        {
            await Expect(RunningAndHealthy(page, resource)).ToBeVisibleAsync();
        }
        await SnapAsync(page, "01-resources.png");
        // Each chain is a group under its edge: folding the edge hides the two services behind it, and unfolding shows them.
        foreach (var transport in new[] { "rest", "grpc" })
        {
            var nesting = Row(page, $"aggregator-{transport}").Locator("fluent-button[aria-label='Toggle nesting']");
            await nesting.ClickAsync();
            await Expect(Row(page, $"processor-{transport}")).ToBeHiddenAsync();
            await Expect(Row(page, $"producer-{transport}")).ToBeHiddenAsync();
            await nesting.ClickAsync();
            await Expect(Row(page, $"producer-{transport}")).ToBeVisibleAsync();
        }
        // A gRPC port speaks cleartext HTTP/2, which a browser can't open: it is in the details, not a link. Its HTTP/1.1 side is.
        var edge = Row(page, "aggregator-grpc");
        await Expect(edge.Locator($"a[href$=':{chain.App.GetEndpoint("aggregator-grpc", "grpc").Port}']")).ToHaveCountAsync(0);
        await Expect(edge.Locator($"a[href$=':{chain.App.GetEndpoint("aggregator-grpc", "http").Port}']")).ToHaveCountAsync(1);

        await ChooseAsync(page, "loadgen", Compare);
        await SubmitAsync(page, Compare, ("Seconds measured per run", "2"), ("Warm-up seconds", "1"), ("Concurrency", "16"));
        // While it runs, a progress dialog offers Cancel.
        var progress = page.Locator("fluent-dialog", new() { HasText = "Measuring (compare)" });
        await Expect(progress.Locator("fluent-button", new() { HasText = "Cancel" })).ToBeVisibleAsync();
        await SnapAsync(page, "02-compare-progress.png");
        // Headless Chromium draws the spinning rings in software, a third of a core (measured): each row's wait for a quiet machine waited it out.
        await page.EvaluateAsync("() => document.getAnimations().forEach(a => a.pause())");
        // The command's Markdown result opens in a dialog when the run ends.
        var result = page.Locator("fluent-dialog", new() { Has = page.Locator(".markdown-container") });
        var table = result.Locator("table");
        await Expect(table).ToBeVisibleAsync(new() { Timeout = 300_000 });
        foreach (var run in new[] { "REST, JSON over HTTP/1.1", "REST, protobuf over HTTP/2", "gRPC unary, stream per request", "gRPC unary, shared streams", "gRPC streaming edge, shared streams" })
        {
            await Expect(table.GetByRole(AriaRole.Cell, new() { Name = run, Exact = true })).ToBeVisibleAsync();
        }
        // It links the report, which the load generator serves.
        var report = await result.GetByRole(AriaRole.Link, new() { Name = "Full table and charts" }).GetAttributeAsync("href");
        Assert.Matches("^http://localhost:[0-9]+/results/[^/]+/report.html$", report);
        await SnapAsync(page, "02-compare-result.png");
        await result.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        // The load generator's resource links the same report as its latest.
        await Expect(Row(page, "loadgen").Locator($"a[href='{report}']")).ToBeAttachedAsync();

        // Both chains in one chart on the load generator: their CPU, then their requests per second.
        await ShowChainsAsync(page, "loadgen.chain.cpu");
        await SnapAsync(page, "03-cpu-chains.png");
        await ShowChainsAsync(page, "loadgen.chain.requests.rate");
        await SnapAsync(page, "04-rate-chains.png");

        await page.GotoAsync(report!);
        // The run used what was typed in the dialog.
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "HTTP/1.1, 16 keep-alive connections", Exact = true }).First).ToBeVisibleAsync();
        var charts = await page.Locator("svg.chart").AllAsync();
        Assert.NotEmpty(charts);
        foreach (var chart in charts)
        {
            Assert.True(int.Parse((await chart.GetAttributeAsync("data-series-count"))!) > 0);
            Assert.True(await chart.BoundingBoxAsync() is { Width: > 0, Height: > 0 });
        }
        await SnapAsync(page, "05-report.png");
    }

    [SkippableFact]
    public async Task Bad_arguments_are_marked_in_the_dialog_before_a_run_starts()
    {
        var page = await OpenDashboardAsync();
        await Expect(RunningAndHealthy(page, "loadgen")).ToBeVisibleAsync();

        await ChooseAsync(page, "loadgen", Compare);
        await SubmitAsync(page, Compare, ("Records per batch", "10,lots"));

        // The dialog stays open and says, beside the field, what is wrong.
        var dialog = page.Locator("fluent-dialog", new() { Has = page.Locator(".interaction-input") });
        await Expect(dialog).ToContainTextAsync("size must be whole numbers between 1 and 100000, comma-separated, got '10,lots'");
        await SnapAsync(page, "06-refused.png");
        await page.Keyboard.PressAsync("Escape");
    }

    [SkippableFact]
    public async Task Cancel_in_the_progress_dialog_stops_the_run()
    {
        var page = await OpenDashboardAsync();
        await Expect(RunningAndHealthy(page, "aggregator-rest")).ToBeVisibleAsync();

        await ChooseAsync(page, "aggregator-rest", "Load REST");
        await SubmitAsync(page, "Load REST", ("Seconds measured per run", "60"), ("Warm-up seconds", "0"));
        var progress = page.Locator("fluent-dialog", new() { HasText = "Measuring (rest)" });
        // The run is going once the load generator's resource says so.
        await chain.App.ResourceNotifications.WaitForResourceAsync("loadgen", e => Run(e) is { } run && run.StartsWith("rest") && run.EndsWith(": running"));
        await progress.Locator("fluent-button", new() { HasText = "Cancel" }).ClickAsync();

        await Expect(progress).ToBeHiddenAsync();
        await chain.App.ResourceNotifications.WaitForResourceAsync("loadgen", e => Run(e) is { } run && run.StartsWith("rest") && run.EndsWith(": cancelled"))
            .WaitAsync(TimeSpan.FromSeconds(30));

        static string? Run(ResourceEvent e) => e.Snapshot.Properties.SingleOrDefault(p => p.Name == AppHost.LoadRuns.RunProperty)?.Value as string;
    }

    private async Task<IPage> OpenDashboardAsync()
    {
        // In CI the browser is installed by .ci/run, so a missing one is a failure there, not a skip.
        if (chromium.Browser is null && Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"{Chromium.Executable} is missing: .ci/run installs chromium");
        Skip.If(chromium.Browser is null, $"{Chromium.Executable} is not installed (apt-get install chromium)");
        context = await chromium.Browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        // This machine is slow and shared: give every click and every expectation time.
        context.SetDefaultTimeout(60_000);
        SetDefaultExpectTimeout(60_000);
        var page = await context.NewPageAsync();
        await chain.WaitAllHealthyAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        await page.GotoAsync(chain.DashboardUrl.AbsoluteUri);
        // Every resource within 10 s, whatever ran before. With every request traced, the overload tests once left the
        // dashboard minutes behind storing their spans, and its resources page listed nothing until it caught up.
        var shown = System.Diagnostics.Stopwatch.StartNew();
        foreach (var resource in ChainApp.Services.Append("loadgen"))
        {
            await Expect(Row(page, resource)).ToBeVisibleAsync(new() { Timeout = (float)Math.Max(1, 10_000 - shown.ElapsedMilliseconds) });
        }
        return page;
    }

    private static ILocator Row(IPage page, string resource) =>
        page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Gridcell, new() { Name = $"Project: {resource}", Exact = true }) });

    /// <summary>The resource's state cell if it says just "Running": it says "Running (Unhealthy)" for a resource not yet healthy.</summary>
    private static ILocator RunningAndHealthy(IPage page, string resource) =>
        Row(page, resource).GetByRole(AriaRole.Gridcell, new() { Name = "Running", Exact = true });

    /// <summary>Picks an entry of a resource's actions menu on the resources page.</summary>
    private static async Task ChooseAsync(IPage page, string resource, string entry)
    {
        await Row(page, resource).GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = entry, Exact = true }).ClickAsync();
    }

    /// <summary>Fills a command's argument dialog and runs it.</summary>
    private static async Task SubmitAsync(IPage page, string command, params (string Label, string Value)[] arguments)
    {
        // The inputs sit in the fields' shadow DOM, out of their labels' reach, and the dialog's buttons get their role
        // from ElementInternals, which role selectors don't see: both are found by the text around them.
        var fields = page.Locator(".interaction-input");
        // The dialog takes input once it has focused its first field; what is typed before that is lost.
        await Expect(fields.First.Locator("input")).ToBeFocusedAsync();
        foreach (var (label, value) in arguments)
        {
            await fields.Filter(new() { HasText = label }).Locator("input").FillAsync(value);
        }
        await page.Locator("fluent-dialog fluent-button", new() { HasText = command }).ClickAsync();
    }

    /// <summary>One of the load generator's chain instruments, over the last 5 minutes: its line rose with the run, and its filters name both chains.</summary>
    private static async Task ShowChainsAsync(IPage page, string instrument)
    {
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Resources" }).ClickAsync();
        await ChooseAsync(page, "loadgen", "Metrics");
        // The compare's rows took a minute or two, the REST ones first. Chosen first, so the graph is drawn once.
        await page.GetByLabel("Duration").GetByRole(AriaRole.Combobox).ClickAsync();
        await page.Locator("fluent-option", new() { HasText = "Last 5 minutes" }).ClickAsync();
        await page.GetByTitle("LoadGenerator", new() { Exact = true }).GetByTitle(instrument, new() { Exact = true }).ClickAsync();
        // Aspire's chart draws one line, the dimensions the filters select added together (here all: both chains). The chains
        // run one after the other, so the line rises with the REST rows, then again with the gRPC rows. The graph is
        // Plotly's, which keeps the plotted series on the chart element: wait for points above zero.
        await page.WaitForFunctionAsync("() => document.querySelector('.js-plotly-plot')?.data?.some(s => s.y?.filter(v => v > 0).length > 1)");
        // Both chains are there to pick in the chart's filter.
        foreach (var chain in new[] { "rest", "grpc" }) await Expect(page.GetByText(chain, new() { Exact = true }).First).ToBeAttachedAsync();
    }

    private static async Task SnapAsync(IPage page, string name)
    {
        var path = Path.Combine(ChainApp.LogDirectory, name);
        // A dialog fades in: the picture waits until what is animating has settled (spinners, which never do, aside).
        await page.EvaluateAsync("() => Promise.all(document.getAnimations().filter(a => a.effect?.getTiming().iterations !== Infinity).map(a => a.finished))");
        await page.ScreenshotAsync(new() { Path = path });
        // scripts/screenshots.sh sets SCREENSHOTS_DIR to refresh the README's pictures from this run.
        if (Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is { Length: > 0 } copies) File.Copy(path, Path.Combine(copies, name), overwrite: true);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (context is not null) await context.CloseAsync();
    }

    /// <summary>One Chromium for the class: the system's (CI installs it with apt-get), never one Playwright downloads.</summary>
    public sealed class Chromium : IAsyncLifetime
    {
        public const string Executable = "/usr/bin/chromium";
        private IPlaywright? playwright;

        /// <summary>Null when Chromium is not installed; the tests then skip, or fail in CI.</summary>
        public IBrowser? Browser { get; private set; }

        public async Task InitializeAsync()
        {
            if (!File.Exists(Executable)) return;
            playwright = await Playwright.CreateAsync();
            Browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Executable,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
        }

        public async Task DisposeAsync()
        {
            if (Browser is not null) await Browser.DisposeAsync();
            playwright?.Dispose();
        }
    }
}
