using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LoadGenerator.Reports;

/// <summary>Writes a comparison as report.md, report.json and report.html, and gives the table to the console.</summary>
public static class ReportWriter
{
    internal const string Title = "REST vs gRPC through a chain of three services";

    internal const string HowToRead =
        "req/s is goodput: the requests that succeeded per second of the measured window, after the warm-up; errors are counted beside it, not in it. " +
        "Latency percentiles come from an HdrHistogram of every successful measured request (as ghz reports them, errors left out). " +
        "In an open-loop run, latency counts from each request's intended send time, req/s shows what was sent per second of the rate asked, " +
        "and a request the schedule could not send before the run's end (every slot in flight taken) is counted as unsent. " +
        "CPU-ms per request is the CPU time the operating system charged a process over the window ÷ the requests that succeeded; " +
        "the chain's figure sums its three services. " +
        "% of one core is CPU time ÷ wall time, so 200% is two full cores. " +
        "'others' is every process that is neither the row's chain nor the load generator (the dashboard ingesting telemetry, DCP, the AppHost, " +
        "the dotnet run wrappers, the idle chain), read from /proc; before each row the load generator waits (at most 30 s) until they use under 5% of the machine or stop falling (steady), " +
        "and the report says how long it waited. Each row then warms up for the seconds asked, and longer while a second's rate still rises or its measured services' CPU per request still falls (at most 15 s). " +
        "machine % counts every process and the kernel. " +
        "The ceiling rows load one no-op hop of each shape (REST, gRPC unary, a gRPC bidi echo) with the same load generator and connection shapes; " +
        "'of ceiling' is a row's req/s as a share of the ceiling of its shape, and 'hop ÷ floor' is the processor's CPU per request (one hop: it serves a request and makes one) against twice the CPU per no-op of the ceiling's edge (a no-op server, standing in for each end of the hop). " +
        "That ceiling ran flat out, where a server batches wake-ups a chain at a fraction of its rate never sees; so after the rows of the headline hops " +
        "(REST JSON over HTTP/1.1 and protobuf over HTTP/2, gRPC over shared and batched streams) the ceiling is loaded again, open loop at the row's own rate, " +
        "and 'hop ÷ floor at its rate' sets the hop against twice that no-op's CPU per request. " +
        "Counts ✓ means every request the load generator saw succeed was counted by each measured service: as served by the chain's three, as a no-op by a ceiling's edge. " +
        "Bytes on the wire are the HTTP/1.1 or HTTP/2 bytes on each hop's TCP connections (headers, framing, bodies, and HTTP/2's control frames; not TCP/IP headers), " +
        "counted by the hop's client over the window ÷ the requests that succeeded; its server's count is a cross-check, a little higher as that process also answers " +
        "the once-a-second /stats reads and the health probes (on the same port for REST, on the HTTP/1.1 side port for gRPC).";

    internal sealed record Column(string Title, bool Numeric);

    // People read report.json and nothing embeds it in a page, so "✓" and "chain's" stay as they are, not \uXXXX escapes.
    internal static readonly ReportJsonContext ReadableJson = new(new JsonSerializerOptions(ReportJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string MarkdownTable(ComparisonReport report) => Markdown(Table(report));

    internal static string Markdown((IReadOnlyList<Column> Columns, IReadOnlyList<string[]> Rows) table)
    {
        var markdown = new StringBuilder();
        AppendMarkdownLine(markdown, table.Columns.Select(c => c.Title));
        AppendMarkdownLine(markdown, table.Columns.Select(c => c.Numeric ? "---:" : "---"));
        foreach (var row in table.Rows)
        {
            AppendMarkdownLine(markdown, row);
        }
        return markdown.ToString();
    }

    /// <summary>The few columns that fit a dashboard dialog; the report files carry the whole table.</summary>
    public static string CompactTable(ComparisonReport report)
    {
        var markdown = new StringBuilder();
        AppendMarkdownLine(markdown, ["run", "req/s", "p50 ms", "p99 ms", "errors", "of ceiling", "chain CPU-ms/req", "others % of core", "counts"]);
        AppendMarkdownLine(markdown, ["---", "---:", "---:", "---:", "---", "---:", "---:", "---:", "---"]);
        foreach (var row in report.Rows)
        {
            AppendMarkdownLine(markdown,
            [
                row.Run.Name, Throughput(row.Run.RequestsPerSecond), Ms(row.Run.Latency.P50Ms), Ms(row.Run.Latency.P99Ms), Errors(row.Run),
                row.OfCeiling is { } of ? Percent(100 * of) : "–", CpuMs(row.ChainCpuMsPerRequest), Percent(row.Others.PercentOfCore), Counts(row),
            ]);
        }
        return markdown.ToString();
    }

    /// <summary>Per row, what came before it and what shared the machine: the wait for quiet, the warm-up, the processes outside the measurement.</summary>
    internal static (IReadOnlyList<Column> Columns, IReadOnlyList<string[]> Rows) OthersTable(ComparisonReport report)
    {
        Column[] columns =
        [
            new("run", false), new("waited for quiet", true), new("warmed up", true), new("others % of core", true), new("largest others, % of core", false),
        ];
        var rows = report.Rows.Select(row => (string[])
        [
            row.Run.Name,
            $"{row.Quiet.Seconds.ToString("0.#", CultureInfo.InvariantCulture)} s" + (row.Quiet.Quiet ? "" : $" ({(row.Quiet.Steady ? "steady at" : "still")} {Percent(row.Quiet.OthersPercentOfCore)})"),
            $"{row.WarmupSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s",
            Percent(row.Others.PercentOfCore),
            string.Join(", ", row.Others.Largest.Select(p => $"{p.Name} {p.PercentOfCore.ToString("0.#", CultureInfo.InvariantCulture)}")),
        ]).ToList();
        return (columns, rows);
    }

    /// <summary>
    /// Per row that counted them, the bytes per request on each hop of its chain, in calling order, as its client counted
    /// them (request + response), the chain's total, and the servers' count against the clients' (probes make it a little higher).
    /// </summary>
    internal static (IReadOnlyList<Column> Columns, IReadOnlyList<string[]> Rows) WireTable(ComparisonReport report)
    {
        var rows = report.Rows.Where(row => row.Wire is { Count: > 0 }).ToList();
        var hops = rows.SelectMany(row => row.Wire!).Select(hop => hop.Hop).Distinct().ToList();
        Column[] columns =
        [
            new("run", false), .. hops.Select(hop => new Column($"{hop}: request + response B/req", true)),
            new("chain B/req", true), new("servers ÷ clients", true),
        ];
        return (columns, rows.Select(row => (string[])
        [
            row.Run.Name,
            .. hops.Select(name => row.Wire!.FirstOrDefault(hop => hop.Hop == name) is { } hop
                ? $"{Bytes(hop.RequestBytes)} + {Bytes(hop.ResponseBytes)}"
                : "–"),
            Bytes(row.ChainBytesPerRequest!.Value),
            Percent(100 * row.Wire!.Sum(hop => hop.ServerReadBytes + hop.ServerWrittenBytes) / Math.Max(1, row.ChainBytesPerRequest!.Value)),
        ]).ToList());
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
        await LatencyFiles.WriteAsync(report, directory, ct);
        return table;
    }

    /// <summary>Where a run's files go: a directory named for when it started, under <paramref name="resultsDirectory"/>.</summary>
    internal static string DirectoryFor(string resultsDirectory, DateTimeOffset startedAt, string suffix = "") =>
        Path.Combine(resultsDirectory, startedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + suffix);

    /// <summary>The run's name and tags as a paragraph of a Markdown report; nothing when it has none.</summary>
    internal static string Labelled(RunLabels labels) => labels.Line is { Length: > 0 } line ? line + "\n\n" : "";

    /// <summary>What a cancelled report says before its figures.</summary>
    public static string CancelledLine(ComparisonReport report) =>
        $"Cancelled: the run was stopped before its last row; this report holds the {report.Rows.Count} row{(report.Rows.Count == 1 ? "" : "s")} it finished.";

    internal static string MachineLine(MachineInfo machine) => $"{machine.Cores} cores, {machine.Os}, {machine.Runtime}";

    internal static string StartedAt(DateTimeOffset startedAt) =>
        startedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    /// <summary>The table as cells, so the Markdown and the HTML show exactly the same figures.</summary>
    internal static (IReadOnlyList<Column> Columns, IReadOnlyList<string[]> Rows) Table(ComparisonReport report)
    {
        var roles = Roles(report);
        Column[] columns =
        [
            new("run", false), new("connections", false), new("req/s", true),
            new("mean ms", true), new("p50 ms", true), new("p99 ms", true), new("p99.9 ms", true),
            new("errors", false), new("of ceiling", true), new("chain CPU-ms/req", true), new("hop ÷ floor", true), new("hop ÷ floor at its rate", true), new("chain % of core", true),
            .. roles.Select(role => new Column($"{role} CPU-ms/req", true)),
            new("chain B/req", true),
            new("load gen % of core", true), new("others % of core", true), new("machine % of core", true), new("counts", false),
        ];
        var rows = report.Rows.Select(row => (string[])
        [
            row.Run.Name, row.Run.ConnectionShape,
            Throughput(row.Run),
            Ms(row.Run.Latency.MeanMs), Ms(row.Run.Latency.P50Ms), Ms(row.Run.Latency.P99Ms), Ms(row.Run.Latency.P999Ms),
            Errors(row.Run), row.OfCeiling is { } of ? Percent(100 * of) : "–",
            CpuMs(row.ChainCpuMsPerRequest), row.HopOfFloor is { } hop ? Times(hop) : "–", AtRate(row), Percent(row.ChainPercentOfCore),
            .. roles.Select(role => row.Services.FirstOrDefault(s => Role(s.Service) == role) is { } service
                ? CpuMs(service.CpuMsPerRequest)
                : "–"),
            row.ChainBytesPerRequest is { } bytes ? Bytes(bytes) : "–",
            Percent(row.LoadGenerator.PercentOfCore), Percent(row.Others.PercentOfCore),
            row.Machine is { } machine ? Percent(machine.PercentOfCore) : "–",
            Counts(row),
        ]).ToList();
        return (columns, rows);
    }

    internal static string Times(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    /// <summary>The hop against its floor at the row's rate, and what that floor was: the no-op's CPU, the rate it served, its counts.</summary>
    internal static string AtRate(ComparisonRow row) => row is { HopOfFloorAtRate: { } hop, Floor: { } floor }
        ? $"{Times(hop)} (no-op {CpuMs(floor.CpuMsPerNoop)} at {Throughput(floor.RequestsPerSecond)}/s{(floor.Counts.Matches ? "" : ", ✗ " + floor.Counts.Detail)})"
        : "–";

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

    /// <summary>Goodput; for an open loop also what was sent of the rate asked, and what could not be sent at all.</summary>
    public static string Throughput(RunResult run) => run.Settings.Rate is { } asked
        ? $"{Throughput(run.RequestsPerSecond)} ({Throughput(run.SentPerSecond)} sent of {Throughput(asked)} asked" +
          (run.Unsent > 0 ? $", {run.Unsent.ToString("N0", CultureInfo.InvariantCulture)} unsent)" : ")")
        : Throughput(run.RequestsPerSecond);

    internal static string Counts(ComparisonRow row) => row.Reconciliation.Matches ? "✓" : "✗ " + row.Reconciliation.Detail;

    internal static string Ms(double ms) => ms.ToString(ms < 1 ? "N3" : "N2", CultureInfo.InvariantCulture);

    internal static string CpuMs(double cpuMsPerRequest) => cpuMsPerRequest.ToString("N3", CultureInfo.InvariantCulture);

    internal static string Bytes(double bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Percent(double percent) => percent.ToString("N0", CultureInfo.InvariantCulture) + "%";

    internal static string Errors(RunResult run) =>
        run.Failed == 0
            ? "0"
            : $"{run.Failed.ToString("N0", CultureInfo.InvariantCulture)} (" +
              string.Join(", ", run.Errors.Where(e => e.Value > 0).OrderByDescending(e => e.Value)
                  .Select(e => $"{e.Key}: {e.Value.ToString("N0", CultureInfo.InvariantCulture)}")) + ")";

    private static string MarkdownDocument(ComparisonReport report, string table) => $"""
        # {Title}

        Started {StartedAt(report.StartedAt)} · {MachineLine(report.Machine)}

        {Labelled(report.Labels)}{(report.Cancelled ? $"**{CancelledLine(report)}**\n\n" : "")}{report.Telemetry}

        {table}
        {WireSection(report)}{ReplicasReport.Markdown(report)}{AttributionReport.Markdown(report)}## What else used the machine

        {Markdown(OthersTable(report))}{LatencyFiles.Markdown(report)}
        ## How to read this

        {HowToRead}

        """;

    /// <summary>The bytes section; nothing when no row counted bytes (reports written before they were).</summary>
    private static string WireSection(ComparisonReport report) =>
        WireTable(report) is { Rows.Count: > 0 } table ? $"## {WireTitle}\n\n{Markdown(table)}\n" : "";

    internal const string WireTitle = "Bytes on the wire per request";

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
