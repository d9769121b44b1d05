using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Protos.Control;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>The dashboard's commands, run as the dashboard runs them: through the AppHost's resource command service.</summary>
[Collection(ChainCollection.Name)]
public class LoadCommandTests(ChainApp chain)
{
    private static InteractionInputCollection Arguments(string duration, string concurrency, string warmup, string size = "10") => new(
    [
        new InteractionInput { Name = "duration", InputType = InputType.Number, Value = duration },
        new InteractionInput { Name = "concurrency", InputType = InputType.Number, Value = concurrency },
        new InteractionInput { Name = "size", InputType = InputType.Text, Value = size },
        new InteractionInput { Name = "rate", InputType = InputType.Number },
        new InteractionInput { Name = "warmup", InputType = InputType.Number, Value = warmup },
    ]);

    [Fact]
    public async Task Compare_reports_every_row_without_failures_with_reconciled_counts_and_cpu_for_all_six_services()
    {
        // Ten rows, each of which may wait up to 30 s for a quiet machine.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var commands = chain.App.Services.GetRequiredService<ResourceCommandService>();

        var compare = commands.ExecuteCommandAsync("loadgen", "load-compare", Arguments("2", "16", "1"), timeout.Token);
        // While it goes, every load command is disabled in the dashboard.
        await WaitForCommandAsync("aggregator-rest", "load-rest", ResourceCommandState.Disabled, timeout.Token);
        await WaitForCommandAsync("loadgen", "load-compare", ResourceCommandState.Disabled, timeout.Token);
        // A caller that runs one anyway (the API does not look at the button) is refused, and told why.
        var second = await commands.ExecuteCommandAsync("aggregator-rest", "load-rest", Arguments("1", "4", "0"), timeout.Token);
        Assert.False(second.Success);
        Assert.Contains("already going", second.Message);

        var result = await compare;
        Assert.True(result.Success, result.Message);
        Assert.Contains("| REST, JSON over HTTP/1.1", result.Data?.Value);
        Assert.Contains("| REST, protobuf over HTTP/2", result.Data?.Value);
        Assert.Contains("gRPC streaming edge", result.Data?.Value);
        await WaitForCommandAsync("aggregator-rest", "load-rest", ResourceCommandState.Enabled, timeout.Token);
        await WaitForCommandAsync("loadgen", "load-compare", ResourceCommandState.Enabled, timeout.Token);

        // The result links the report the load generator serves, and so does the resource's "Latest report".
        var page = new Uri(result.Message![(result.Message!.IndexOf("Report: ", StringComparison.Ordinal) + "Report: ".Length)..].Trim());
        Assert.Contains($"[Full table and charts]({page})", result.Data?.Value);
        Assert.Equal(page.AbsoluteUri, await LatestReportAsync(timeout.Token));
        using var http = new HttpClient();
        using var served = await http.GetAsync(page, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("text/html", served.Content.Headers.ContentType?.MediaType);
        using var report = JsonDocument.Parse(await http.GetStringAsync(new Uri(page, "report.json"), timeout.Token));
        Assert.True(File.Exists(Path.Combine(ChainApp.ResultsDirectory, Uri.UnescapeDataString(page.AbsolutePath["/results/".Length..]))));

        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
        // Three ceilings, four REST wires, five gRPC rows.
        Assert.Equal(12, rows.Count);
        var measured = new HashSet<string>();
        foreach (var row in rows)
        {
            var run = row.GetProperty("run");
            var name = run.GetProperty("name").GetString();
            Assert.True(run.GetProperty("succeeded").GetInt64() > 0, name);
            Assert.Empty(run.GetProperty("errors").EnumerateObject());
            Assert.True(row.GetProperty("reconciliation").GetProperty("matches").GetBoolean(), row.GetProperty("reconciliation").GetProperty("detail").GetString());
            Assert.True(run.GetProperty("latency").GetProperty("p50Ms").GetDouble() > 0, name);
            Assert.True(row.GetProperty("loadGenerator").GetProperty("cpuMs").GetDouble() > 0, name);
            Assert.NotEmpty(row.GetProperty("cpuTimeline").EnumerateArray());
            // Every chain row is read against the ceiling of its shape, measured in the same run.
            var ceiling = name!.Contains("ceiling");
            Assert.Equal(ceiling, row.GetProperty("ofCeiling").ValueKind == JsonValueKind.Null);
            if (!ceiling) Assert.True(row.GetProperty("ofCeiling").GetDouble() > 0 && row.GetProperty("hopOfFloor").GetDouble() > 0, name);
            // The four headline hops are also set against their no-op loaded open-loop at the row's own rate.
            var floorRows = new[] { "REST, JSON over HTTP/1.1", "REST, protobuf over HTTP/2", "gRPC unary, shared streams", "gRPC unary, batched shared streams" };
            Assert.Equal(floorRows.Contains(name), row.GetProperty("floor").ValueKind != JsonValueKind.Null);
            if (floorRows.Contains(name))
            {
                var floor = row.GetProperty("floor");
                Assert.Equal(Math.Round(run.GetProperty("requestsPerSecond").GetDouble()), floor.GetProperty("askedPerSecond").GetDouble());
                Assert.InRange(floor.GetProperty("requestsPerSecond").GetDouble(), 0.5 * floor.GetProperty("askedPerSecond").GetDouble(), 1.05 * floor.GetProperty("askedPerSecond").GetDouble());
                Assert.True(floor.GetProperty("counts").GetProperty("matches").GetBoolean(), floor.GetProperty("counts").GetProperty("detail").GetString());
                var processor = row.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString()!.StartsWith("processor-"));
                Assert.Equal(processor.GetProperty("cpuMsPerRequest").GetDouble() / (2 * floor.GetProperty("cpuMsPerNoop").GetDouble()),
                    row.GetProperty("hopOfFloorAtRate").GetDouble(), 6);
            }
            // What else used the machine, and how long the row waited for it to be quiet (one reading of a second at least).
            Assert.True(row.GetProperty("others").GetProperty("percentOfCore").GetDouble() >= 0, name);
            Assert.InRange(row.GetProperty("quiet").GetProperty("seconds").GetDouble(), 0.9, 31);
            // Bytes on the wire down the chain (a ceiling's edge alone), both ways; each hop's server saw at least what its client sent and read.
            var hops = row.GetProperty("wire").EnumerateArray().ToList();
            Assert.Equal(ceiling ? ["load generator → aggregator"] : ["load generator → aggregator", "aggregator → processor", "processor → producer"],
                hops.Select(hop => hop.GetProperty("hop").GetString()));
            foreach (var hop in hops)
            {
                double Bytes(string figure) => hop.GetProperty(figure).GetDouble();
                Assert.True(Bytes("requestBytes") > 0 && Bytes("responseBytes") > 0, $"{name}: {hop}");
                Assert.True(Bytes("serverReadBytes") >= 0.95 * Bytes("requestBytes") && Bytes("serverWrittenBytes") >= 0.95 * Bytes("responseBytes"), $"{name}: {hop}");
            }
            foreach (var service in row.GetProperty("services").EnumerateArray())
            {
                Assert.True(service.GetProperty("cpuMs").GetDouble() > 0, $"{name}: {service.GetProperty("service")}");
                Assert.True(service.GetProperty("cpuMsPerRequest").GetDouble() > 0);
                measured.Add(service.GetProperty("service").GetString()!);
            }
        }
        Assert.Equal(ChainApp.Services.Order(), measured.Order());
        // The streaming edge is read against the bidi echo, not the unary no-op.
        double Rate(string row) => rows.Single(r => r.GetProperty("run").GetProperty("name").GetString() == row)
            .GetProperty("run").GetProperty("requestsPerSecond").GetDouble();
        var streaming = rows.Single(r => r.GetProperty("run").GetProperty("name").GetString() == "gRPC streaming edge, shared streams");
        Assert.Equal(Rate("gRPC streaming edge, shared streams") / Rate("gRPC streaming ceiling: one no-op bidi echo"), streaming.GetProperty("ofCeiling").GetDouble(), 6);
        Assert.Equal(Environment.ProcessorCount, report.RootElement.GetProperty("machine").GetProperty("cores").GetInt32());
        Assert.StartsWith("Same on all 6 services", report.RootElement.GetProperty("telemetry").GetString());
        Assert.Contains("at most 5 new traces a second per service", report.RootElement.GetProperty("telemetry").GetString());
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_a_run_starts_each_with_a_message_naming_its_argument()
    {
        var commands = chain.App.Services.GetRequiredService<ResourceCommandService>();

        // Aspire checks number inputs itself, and the command's own check the rest: the dashboard marks the fields and keeps the dialog open.
        var notANumber = await commands.ExecuteCommandAsync("aggregator-grpc", "load-grpc", Arguments("soon", "4", "0"), CancellationToken.None);
        var badSizes = await commands.ExecuteCommandAsync("aggregator-grpc", "load-grpc", Arguments("1", "4", "0", size: "10,lots"), CancellationToken.None);
        var tooLong = await commands.ExecuteCommandAsync("aggregator-grpc", "load-grpc", Arguments("99999", "4", "0"), CancellationToken.None);

        foreach (var refused in new[] { notANumber, badSizes, tooLong })
        {
            Assert.False(refused.Success);
            Assert.Equal("Command argument validation failed.", refused.Message);
        }
        // No run started: the load generator's resource shows none.
        Assert.DoesNotContain(Snapshot("loadgen").Properties, p => p.Name == AppHost.LoadRuns.RunProperty && p.Value is string run && run.StartsWith("grpc"));

        // What the dialog shows beside each field.
        static IReadOnlyList<RunProblem> Problems(string duration, string concurrency, string size = "10", string? rate = null)
        {
            var arguments = Arguments(duration, concurrency, "0", size);
            arguments["rate"].Value = rate;
            return AppHost.LoadArguments.Problems(RunKind.Grpc, arguments);
        }
        Assert.Equal(new RunProblem[] { new("size", "size must be whole numbers between 1 and 100000, comma-separated, got '10,lots'") }, Problems("1", "4", size: "10,lots"));
        Assert.Equal(new RunProblem[] { new("duration", "duration must be between 0 and 3600 seconds, got 99999") }, Problems("99999", "4"));
        Assert.Equal(new RunProblem[] { new("concurrency", "concurrency must be a whole number, got 2.5") }, Problems("1", "2.5"));
        Assert.Equal(new RunProblem[] { new("concurrency", "concurrency must be between 1 and 10000, got 0") }, Problems("1", "0"));
        Assert.Equal(new RunProblem[] { new("rate", "rate must be positive when given, got -5") }, Problems("1", "4", rate: "-5"));
        Assert.Empty(Problems("1", "4", size: "10, 1000", rate: "200"));
    }

    [Fact]
    public async Task Cancel_stops_the_run_promptly_the_services_see_no_more_requests_and_the_finished_rows_are_reported_as_cancelled()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var commands = chain.App.Services.GetRequiredService<ResourceCommandService>();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var earlier = await LatestReportAsync(timeout.Token);

        // Two rows, one per size: cancelled during the second, once it is sending.
        var run = commands.ExecuteCommandAsync("aggregator-rest", "load-rest", Arguments("20", "4", "0", size: "10,20"), cancel.Token);
        await chain.App.ResourceNotifications.WaitForResourceAsync("loadgen",
            e => e.Snapshot.Properties.SingleOrDefault(p => p.Name == AppHost.LoadRuns.ProgressProperty)?.Value is string progress && progress.Contains("20 records"), timeout.Token);
        var before = (await chain.StatsAsync("aggregator-rest", timeout.Token)).Served;
        await Eventually.TrueAsync(async () => (await chain.StatsAsync("aggregator-rest", timeout.Token)).Served > before + 100, TimeSpan.FromSeconds(60),
            "the second row sent no load", timeout.Token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cancel.CancelAsync();
        var result = await run;

        Assert.True(result.Canceled, result.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Matches("^rest [0-9a-f]+: cancelled$", Snapshot("loadgen").Properties.Single(p => p.Name == AppHost.LoadRuns.RunProperty).Value as string);
        await WaitForCommandAsync("aggregator-rest", "load-rest", ResourceCommandState.Enabled, timeout.Token);
        // The load generator answered the cancel once its run had stopped: nothing more reaches the chain.
        var stopped = (await chain.StatsAsync("aggregator-rest", timeout.Token)).Served;
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        Assert.Equal(stopped, (await chain.StatsAsync("aggregator-rest", timeout.Token)).Served);

        // The first row was finished: it is reported, and the report says the run was cancelled.
        var page = await LatestReportAsync(timeout.Token);
        Assert.NotEqual(earlier, page);
        using var http = new HttpClient();
        using var report = JsonDocument.Parse(await http.GetStringAsync(new Uri(new Uri(page!), "report.json"), timeout.Token));
        Assert.True(report.RootElement.GetProperty("cancelled").GetBoolean());
        Assert.Equal(["REST, JSON over HTTP/1.1, 10 records"], report.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("run").GetProperty("name").GetString()));
        Assert.Contains("Cancelled: the run was stopped before its last row; this report holds the 1 row it finished.", await http.GetStringAsync(page, timeout.Token));
    }

    [Fact]
    public async Task Reports_are_served_read_only_from_the_results_directory_and_nothing_outside_it()
    {
        using var http = new HttpClient { BaseAddress = chain.App.GetEndpoint("loadgen", "http") };
        Directory.CreateDirectory(ChainApp.ResultsDirectory);
        await File.WriteAllTextAsync(Path.Combine(ChainApp.ResultsDirectory, "served.txt"), "a report");

        using var listing = await http.GetAsync("/results/");
        using var file = await http.GetAsync("/results/served.txt");
        using var outside = await http.GetAsync("/results/%2e%2e/%2e%2e/LoadGenerator.dll");
        using var written = await http.PutAsync("/results/served.txt", new StringContent("changed"));

        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.Equal("a report", await file.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.OK, outside.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, written.StatusCode);
        Assert.Equal("a report", await File.ReadAllTextAsync(Path.Combine(ChainApp.ResultsDirectory, "served.txt")));
        // A caller from another machine needs the control token.
        static Microsoft.AspNetCore.Http.HttpContext From(IPAddress caller, string? token)
        {
            var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { Connection = { RemoteIpAddress = caller } };
            if (token is not null) http.Request.Headers[Protos.Control.ControlToken.Header] = token;
            return http;
        }
        Assert.False(From(IPAddress.Parse("192.0.2.7"), null).IsLocalOrCarries("secret"));
        Assert.True(From(IPAddress.Parse("192.0.2.7"), "secret").IsLocalOrCarries("secret"));
        Assert.True(From(IPAddress.IPv6Loopback, null).IsLocalOrCarries("secret"));
        // With no token configured, an empty header is not one.
        Assert.False(From(IPAddress.Parse("192.0.2.7"), "").IsLocalOrCarries(null));
    }

    [Fact]
    public async Task Slow_down_sets_the_delay_through_its_http_command_and_says_why_it_refuses_one()
    {
        var commands = chain.App.Services.GetRequiredService<ResourceCommandService>();
        static InteractionInputCollection Ms(string ms) => new([new InteractionInput { Name = "ms", InputType = InputType.Number, Value = ms }]);

        var slow = await commands.ExecuteCommandAsync("producer-rest", "set-delay", Ms("5"), CancellationToken.None);
        var tooSlow = await commands.ExecuteCommandAsync("producer-rest", "set-delay", Ms("99999999"), CancellationToken.None);
        var off = await commands.ExecuteCommandAsync("producer-rest", "set-delay", Ms("0"), CancellationToken.None);

        Assert.True(slow.Success, slow.Message);
        Assert.Equal("producer-rest now waits 5 ms per request", slow.Message);
        Assert.False(tooSlow.Success);
        Assert.StartsWith("ms must be a whole number of milliseconds", tooSlow.Message);
        Assert.True(off.Success, off.Message);
        Assert.Equal("producer-rest answers without delay", off.Message);
    }

    private CustomResourceSnapshot Snapshot(string resource) =>
        chain.App.ResourceNotifications.TryGetCurrentState(resource, out var e) ? e.Snapshot : throw new InvalidOperationException($"no {resource}");

    private Task WaitForCommandAsync(string resource, string command, ResourceCommandState state, CancellationToken ct) =>
        chain.App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.Commands.Single(c => c.Name == command).State == state, ct);

    private async Task<string?> LatestReportAsync(CancellationToken ct)
    {
        var loadgen = await chain.App.ResourceNotifications.WaitForResourceAsync("loadgen", e => e.Snapshot.Urls.Any(u => u.DisplayProperties.DisplayName == AppHost.LoadRuns.LatestReport), ct);
        return loadgen.Snapshot.Urls.Single(u => u.DisplayProperties.DisplayName == AppHost.LoadRuns.LatestReport).Url;
    }

    [Fact]
    public async Task The_control_api_checks_the_token_before_the_body_and_says_what_is_wrong_with_a_body_it_cannot_read()
    {
        // The token the AppHost handed the load generator, as the AppHost resolves its environment.
        var loadgen = chain.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "loadgen");
        var configuration = await ExecutionConfigurationBuilder.Create(loadgen).WithEnvironmentVariablesConfig()
            .BuildAsync(chain.App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
        var token = configuration.EnvironmentVariables.Single(v => v.Key == "LoadGen__ControlToken").Value;
        using var http = new HttpClient { BaseAddress = chain.App.GetEndpoint("loadgen", "http") };
        HttpRequestMessage Post(string body, string? withToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Protos.Control.RunRequest.Path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            if (withToken is not null) request.Headers.Add(Protos.Control.ControlToken.Header, withToken);
            return request;
        }

        using var stranger = await http.SendAsync(Post("""{"kind":"everything"}""", withToken: null));
        using var unknownKind = await http.SendAsync(Post("""{"kind":"everything"}""", token));
        using var notJson = await http.SendAsync(Post("run it", token));
        // The dialog checks arguments before a run starts; the API still refuses what a caller without the dialog sends.
        using var badSizes = await http.SendAsync(Post("""{"kind":"rest","sizes":"10,lots"}""", token));
        using var strangerCancels = await http.DeleteAsync($"{Protos.Control.RunRequest.Path}/nothing");
        using var unknownRun = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{Protos.Control.RunRequest.Path}/nothing") { Headers = { { Protos.Control.ControlToken.Header, token } } });

        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.StatusCode);
        Assert.Contains("the body is not a run request", await unknownKind.Content.ReadAsStringAsync());
        Assert.Contains("$.kind", await unknownKind.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("the body is not a run request", await notJson.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badSizes.StatusCode);
        Assert.Contains("size must be whole numbers between 1 and 100000, comma-separated, got '10,lots'", await badSizes.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, strangerCancels.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownRun.StatusCode);
    }
}
