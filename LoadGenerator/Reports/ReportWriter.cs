using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoadGenerator.Reports;

/// <summary>Writes a comparison as report.md, report.json and report.html, and gives the table to the console.</summary>
public static class ReportWriter
{
    internal const string Title = "REST vs gRPC through a chain of three services";

    internal const string HowToRead =
        "req/s is the throughput of the measured window, after the warm-up. " +
        "Latency percentiles come from an HdrHistogram of every measured request. " +
        "CPU-ms per request is the CPU time the operating system charged a process over the window ÷ the requests it served; " +
        "the chain's figure sums its three services. " +
        "% of one core is CPU time ÷ wall time, so 200% is two full cores; machine % counts every process " +
        "(the dashboard, the orchestrator and the load generator too), so what it has beyond the chain and the load generator is work outside the measured services. " +
        "In an open-loop run, req/s shows what was achieved of the rate asked. " +
        "The two ceiling rows load one no-op hop of each transport with the same load generator and connection shapes; " +
        "'of ceiling' is a chain's req/s as a share of its transport's ceiling, and CPU-ms per hop divides the chain's figure by its hops. " +
        "Counts ✓ means every request the load generator saw succeed was counted as served by each service of the chain.";

    internal sealed record Column(string Title, bool Numeric);

    // People read report.json and nothing embeds it in a page, so "✓" and "chain's" stay as they are, not \uXXXX escapes.
    internal static readonly ReportJsonContext ReadableJson = new(new JsonSerializerOptions(ReportJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string MarkdownTable(ComparisonReport report)
    {
        var (columns, rows) = Table(report);
        var markdown = new StringBuilder();
        AppendMarkdownLine(markdown, columns.Select(c => c.Title));
        AppendMarkdownLine(markdown, columns.Select(c => c.Numeric ? "---:" : "---"));
        foreach (var row in rows)
        {
            AppendMarkdownLine(markdown, row);
        }
        return markdown.ToString();
    }

    /// <summary>The few columns that fit a dashboard dialog; the report files carry the whole table.</summary>
    public static string CompactTable(ComparisonReport report)
    {
        var markdown = new StringBuilder();
        AppendMarkdownLine(markdown, ["run", "req/s", "p50 ms", "p99 ms", "errors", "of ceiling", "chain CPU-ms/req", "counts"]);
        AppendMarkdownLine(markdown, ["---", "---:", "---:", "---:", "---", "---:", "---:", "---"]);
        foreach (var row in report.Rows)
        {
            AppendMarkdownLine(markdown,
            [
                row.Run.Name, Throughput(row.Run.RequestsPerSecond), Ms(row.Run.Latency.P50Ms), Ms(row.Run.Latency.P99Ms), Errors(row.Run),
                row.OfCeiling is { } of ? Percent(100 * of) : "–", CpuMs(row.ChainCpuMsPerRequest), row.Reconciliation.Matches ? "✓" : "✗ " + row.Reconciliation.Detail,
            ]);
        }
        return markdown.ToString();
    }

    public static async Task<string> WriteAsync(ComparisonReport report, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var table = MarkdownTable(report);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), MarkdownDocument(report, table), ct);
        await using (var json = File.Create(Path.Combine(directory, "report.json")))
        {
            await JsonSerializer.SerializeAsync(json, report, ReadableJson.ComparisonReport, ct);
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "report.html"), ReportHtml.Render(report), ct);
        return table;
    }

    internal static string MachineLine(MachineInfo machine) => $"{machine.Cores} cores, {machine.Os}, {machine.Runtime}";

    internal static string StartedAt(ComparisonReport report) =>
        report.StartedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    /// <summary>The table as cells, so the Markdown and the HTML show exactly the same figures.</summary>
    internal static (IReadOnlyList<Column> Columns, IReadOnlyList<string[]> Rows) Table(ComparisonReport report)
    {
        var roles = Roles(report);
        Column[] columns =
        [
            new("run", false), new("connections", false), new("req/s", true),
            new("mean ms", true), new("p50 ms", true), new("p99 ms", true), new("p99.9 ms", true),
            new("errors", false), new("of ceiling", true), new("chain CPU-ms/req", true), new("CPU-ms/req per hop", true), new("chain % of core", true),
            .. roles.Select(role => new Column($"{role} CPU-ms/req", true)),
            new("load gen % of core", true), new("machine % of core", true), new("counts", false),
        ];
        var rows = report.Rows.Select(row => (string[])
        [
            row.Run.Name, row.Run.ConnectionShape,
            row.Run.Settings.Rate is { } asked ? $"{Throughput(row.Run.RequestsPerSecond)} of {Throughput(asked)} asked" : Throughput(row.Run.RequestsPerSecond),
            Ms(row.Run.Latency.MeanMs), Ms(row.Run.Latency.P50Ms), Ms(row.Run.Latency.P99Ms), Ms(row.Run.Latency.P999Ms),
            Errors(row.Run), row.OfCeiling is { } of ? Percent(100 * of) : "–",
            CpuMs(row.ChainCpuMsPerRequest), CpuMs(row.CpuMsPerRequestPerHop), Percent(row.ChainPercentOfCore),
            .. roles.Select(role => row.Services.FirstOrDefault(s => Role(s.Service) == role) is { } service
                ? CpuMs(service.CpuMsPerRequest)
                : "–"),
            Percent(row.LoadGenerator.PercentOfCore),
            row.Machine is { } machine ? Percent(machine.PercentOfCore) : "–",
            row.Reconciliation.Matches ? "✓" : "✗ " + row.Reconciliation.Detail,
        ]).ToList();
        return (columns, rows);
    }

    /// <summary>The roles of the chains' services in order of appearance: "aggregator", "processor", "producer".</summary>
    internal static IReadOnlyList<string> Roles(ComparisonReport report) =>
        report.Rows.SelectMany(row => row.Services).Select(s => Role(s.Service)).Distinct().ToList();

    /// <summary>Services are named "{role}-{transport}" by the AppHost, so both chains' aggregators share a column.</summary>
    internal static string Role(string service)
    {
        var dash = service.LastIndexOf('-');
        return dash > 0 ? service[..dash] : service;
    }

    internal static string Throughput(double requestsPerSecond) => requestsPerSecond.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Ms(double ms) => ms.ToString(ms < 1 ? "N3" : "N2", CultureInfo.InvariantCulture);

    internal static string CpuMs(double cpuMsPerRequest) => cpuMsPerRequest.ToString("N3", CultureInfo.InvariantCulture);

    internal static string Percent(double percent) => percent.ToString("N0", CultureInfo.InvariantCulture) + "%";

    internal static string Errors(RunResult run) =>
        run.Failed == 0
            ? "0"
            : $"{run.Failed.ToString("N0", CultureInfo.InvariantCulture)} (" +
              string.Join(", ", run.Errors.Where(e => e.Value > 0).OrderByDescending(e => e.Value)
                  .Select(e => $"{e.Key}: {e.Value.ToString("N0", CultureInfo.InvariantCulture)}")) + ")";

    private static string MarkdownDocument(ComparisonReport report, string table) => $"""
        # {Title}

        Started {StartedAt(report)} · {MachineLine(report.Machine)}

        {report.Telemetry}

        {table}
        ## How to read this

        {HowToRead}

        """;

    internal static void AppendMarkdownLine(StringBuilder markdown, IEnumerable<string> cells)
    {
        markdown.Append('|');
        foreach (var cell in cells)
        {
            // A pipe or a line break in an error kind or a detail would otherwise split the row.
            markdown.Append(' ').Append(cell.Replace("|", "\\|").ReplaceLineEndings(" ")).Append(" |");
        }
        markdown.Append('\n');
    }
}

// Named floating-point literals: a run with no successes has NaN latencies, and the report must still be written.
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(JsonStringEnumConverter<TargetKind>)])]
[JsonSerializable(typeof(ComparisonReport))]
[JsonSerializable(typeof(LoadGenerator.Runs.SoakReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
