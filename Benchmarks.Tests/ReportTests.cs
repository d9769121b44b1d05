using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LoadGenerator;
using LoadGenerator.Reports;
using LoadGenerator.Runs;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>The report writer on a made-up comparison: no Aspire app needed.</summary>
public sealed class ReportTests : IDisposable
{
    private const string Mismatch = "processor-grpc served 318,729 < 318,779 succeeded";

    private static readonly ComparisonReport Report = new(
        new DateTimeOffset(2025, 11, 24, 20, 35, 0, TimeSpan.Zero),
        new MachineInfo(8, "Ubuntu 24.04.3 LTS", ".NET 10.0.0"),
        "Telemetry was off for the measured services, so their CPU is the chain's own.",
        [
            Row("REST", TargetKind.Rest, "rest", "4 keep-alive HTTP/1.1 connections", null, 12_345.6, 1.234, cpuScale: 2.0),
            Row("gRPC unary, stream per request", TargetKind.GrpcUnary, "grpc", "1 HTTP/2 connection", StreamMode.PerRequest, 18_210.2, 0.9, cpuScale: 1.4),
            Row("gRPC unary, shared streams", TargetKind.GrpcUnary, "grpc", "1 HTTP/2 connection", StreamMode.Shared, 31_877.9, 0.61, cpuScale: 1.0,
                errors: new Dictionary<string, long> { ["DeadlineExceeded"] = 38, ["Unavailable"] = 12 }, mismatch: Mismatch),
            Row("gRPC streaming edge, shared streams", TargetKind.GrpcStream, "grpc", "1 HTTP/2 connection", StreamMode.Shared, 54_321.4, 0.4567, cpuScale: 0.7),
        ]);

    private readonly string directory = Path.Combine(Path.GetTempPath(), $"report-tests-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Markdown_table_has_a_header_and_one_line_per_row_with_readable_numbers()
    {
        var lines = ReportWriter.MarkdownTable(Report).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2 + Report.Rows.Count, lines.Length);
        Assert.Matches(@"^\| run \| connections \| req/s \|", lines[0]);
        Assert.Contains("aggregator CPU-ms/req", lines[0]);
        Assert.Contains("producer CPU-ms/req", lines[0]);
        Assert.All(lines, line => Assert.Equal(CellCount(lines[0]), CellCount(line)));

        string[] throughput = ["12,346", "18,210", "31,878", "54,321"];
        for (var i = 0; i < Report.Rows.Count; i++)
        {
            var line = lines[2 + i];
            Assert.StartsWith($"| {Report.Rows[i].Run.Name} |", line);
            Assert.Contains($"| {throughput[i]} |", line);
        }

        Assert.Contains("| 1.23 |", lines[2]);   // REST p50, 2 decimals
        Assert.Contains("| 0.457 |", lines[5]);  // streaming p50 under 1 ms, 3 decimals
        Assert.Contains("| 0.120 |", lines[2]);  // REST aggregator CPU-ms/request
        Assert.Contains("| 309% |", lines[2]);   // REST chain, % of one core
        Assert.EndsWith("| ✓ |", lines[2]);
        Assert.Contains("| others % of core |", lines[0]);
        Assert.Contains("| 8% |", lines[2]);      // others, % of one core
        Assert.Contains("| 50 (DeadlineExceeded: 38, Unavailable: 12) |", lines[4]);
        Assert.EndsWith($"| ✗ {Mismatch} |", lines[4]);
    }

    [Fact]
    public void An_open_loop_row_shows_goodput_what_was_sent_of_the_rate_asked_and_what_was_never_sent()
    {
        var settings = new LoadSettings { Target = TargetKind.Rest, Address = new Uri("http://localhost:8002/aggregate"), Rate = 8000, Duration = TimeSpan.FromSeconds(30) };
        // 30 s asked at 8,000/s: 240,000 scheduled, 150,000 sent (the in-flight cap was full), 149,000 succeeded.
        var run = new RunResult("REST", settings, "HTTP/1.1", 150_000, 149_000, new Dictionary<string, long> { ["timeout"] = 1_000 }, 90_000, 31, 30,
            new LatencySummary(1, 1, 1, 1, 1, 1));

        Assert.Equal("4,806 (5,000 sent of 8,000 asked, 90,000 unsent)", ReportWriter.Throughput(run));
    }

    [Fact]
    public async Task WriteAsync_creates_the_directory_and_the_three_files()
    {
        var table = await ReportWriter.WriteAsync(Report, directory, CancellationToken.None);

        Assert.Equal(ReportWriter.MarkdownTable(Report), table);
        var markdown = await File.ReadAllTextAsync(Path.Combine(directory, "report.md"));
        Assert.Contains("8 cores, Ubuntu 24.04.3 LTS, .NET 10.0.0", markdown);
        Assert.Contains(Report.Telemetry, markdown);
        Assert.Contains(table, markdown);
        Assert.Contains("How to read this", markdown);
        Assert.Contains("| REST | 1 s | 0 s | 8% | Aspire.Dashboard 5.2, dcp 1.1 |", markdown);
        Assert.True(File.Exists(Path.Combine(directory, "report.json")));
        Assert.True(File.Exists(Path.Combine(directory, "report.html")));
    }

    [Fact]
    public async Task A_cancelled_run_says_so_in_every_file_and_an_ended_one_does_not()
    {
        await ReportWriter.WriteAsync(Report with { Cancelled = true }, directory, CancellationToken.None);
        var cancelled = $"Cancelled: the run was stopped before its last row; this report holds the {Report.Rows.Count} rows it finished.";

        Assert.Contains($"**{cancelled}**", await File.ReadAllTextAsync(Path.Combine(directory, "report.md")));
        Assert.Contains($"<p><strong>{cancelled}</strong></p>", await File.ReadAllTextAsync(Path.Combine(directory, "report.html")));
        using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "report.json")));
        Assert.True(json.RootElement.GetProperty("cancelled").GetBoolean());

        await ReportWriter.WriteAsync(Report, directory, CancellationToken.None);
        Assert.DoesNotContain("Cancelled", await File.ReadAllTextAsync(Path.Combine(directory, "report.md")));
    }

    [Fact]
    public async Task Json_report_parses_back_camel_cased_with_enums_as_names()
    {
        await ReportWriter.WriteAsync(Report, directory, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "report.json")));
        var rows = json.RootElement.GetProperty("rows");
        Assert.Equal(4, rows.GetArrayLength());
        Assert.Equal(8, json.RootElement.GetProperty("machine").GetProperty("cores").GetInt32());
        var run = rows[0].GetProperty("run");
        Assert.Equal(12_345.6, run.GetProperty("requestsPerSecond").GetDouble());
        Assert.Equal("Rest", run.GetProperty("settings").GetProperty("target").GetString());
        Assert.Equal("00:00:02", run.GetProperty("settings").GetProperty("warmup").GetString());
        // Spelled as the chain-stream-mode header spells it, as the committed reports have it.
        Assert.Equal("per-request", rows[1].GetProperty("run").GetProperty("settings").GetProperty("streamMode").GetString());
        // A row's scenario is its settings; it is not written twice.
        Assert.False(run.TryGetProperty("scenario", out _));
        Assert.Equal(38, rows[2].GetProperty("run").GetProperty("errors").GetProperty("DeadlineExceeded").GetInt64());
        Assert.False(rows[2].GetProperty("reconciliation").GetProperty("matches").GetBoolean());
        Assert.Equal(5, rows[3].GetProperty("cpuTimeline").GetArrayLength());
    }

    [Fact]
    public async Task Html_report_is_self_contained_with_a_non_empty_svg_per_chart()
    {
        await ReportWriter.WriteAsync(Report, directory, CancellationToken.None);

        var html = await File.ReadAllTextAsync(Path.Combine(directory, "report.html"));
        var charts = Regex.Matches(html, "<svg class=\"chart\" data-series-count=\"(\\d+)\"");
        Assert.Equal(3 + Report.Rows.Count, charts.Count);  // throughput, latency, CPU, and a CPU timeline per row
        Assert.All(charts, chart => Assert.True(int.Parse(chart.Groups[1].Value) > 0, chart.Value));
        Assert.Contains("data-series-count=\"16\"", html);  // latency: four percentiles of four rows
        Assert.All(Report.Rows, row => Assert.Contains(WebUtility.HtmlEncode(row.Run.Name), html));
        Assert.Contains(WebUtility.HtmlEncode(Mismatch), html);
        Assert.DoesNotContain(Mismatch, html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    private static readonly HopBytes[] RestHops =
    [
        new("load generator → aggregator", 152.4, 219.6, 160.1, 230.9),
        new("aggregator → processor", 130, 1_403.5, 130, 1_403.5),
        new("processor → producer", 129.7, 1_176, 129.7, 1_176),
    ];

    /// <summary>The report with bytes on the wire for the REST row alone, as a run that had them for one row would have.</summary>
    private static readonly ComparisonReport WithWire = Report with { Rows = [Report.Rows[0] with { Wire = RestHops }, .. Report.Rows.Skip(1)] };

    [Fact]
    public async Task Bytes_on_the_wire_get_a_line_per_row_that_counted_them_with_each_hop_and_the_chain_and_a_column_in_the_main_table()
    {
        await ReportWriter.WriteAsync(WithWire, directory, CancellationToken.None);

        var markdown = await File.ReadAllTextAsync(Path.Combine(directory, "report.md"));
        var section = markdown[markdown.IndexOf("## Bytes on the wire per request\n", StringComparison.Ordinal)..markdown.IndexOf("## What else", StringComparison.Ordinal)];
        Assert.Contains("| run | load generator → aggregator: request + response B/req | aggregator → processor: request + response B/req | " +
            "processor → producer: request + response B/req | chain B/req | servers ÷ clients |", section);
        // Servers count 3,230 B/req where the clients count 3,211: the probes on the edge's port.
        Assert.Contains("| REST | 152 + 220 | 130 + 1,404 | 130 + 1,176 | 3,211 | 101% |", section);
        Assert.DoesNotContain("| gRPC", section);

        var table = ReportWriter.MarkdownTable(WithWire).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var column = table[0].Split(" | ").ToList().IndexOf("chain B/req");
        Assert.True(column > 0, table[0]);
        Assert.Equal("3,211", table[2].Split(" | ")[column]);
        Assert.Equal("–", table[3].Split(" | ")[column]);

        var html = await File.ReadAllTextAsync(Path.Combine(directory, "report.html"));
        Assert.Contains("<h2>Bytes on the wire per request</h2>", html);
        Assert.Contains($"<th class=\"num\">{WebUtility.HtmlEncode("aggregator → processor: request + response B/req")}</th>", html);
        Assert.Contains("<td class=\"num\">130 + 1,404</td>", html);
        Assert.Empty(Regex.Matches(html, "<h3>"));

        var reread = (await ReadmeResults.LoadAsync(directory, CancellationToken.None)).Single();
        Assert.Equal(RestHops, reread.Rows[0].Wire!);
        Assert.Null(reread.Rows[1].Wire);
    }

    [Fact]
    public async Task Reports_written_before_bytes_were_counted_read_as_none_and_render_without_them()
    {
        var committed = await ReadmeResults.LoadAsync(Path.Combine(Repository.Root, "docs", "results", "2026-11-25"), CancellationToken.None);
        Assert.All(committed.SelectMany(report => report.Rows), row => Assert.Null(row.Wire));

        await ReportWriter.WriteAsync(committed[0], directory, CancellationToken.None);

        Assert.DoesNotContain("Bytes on the wire per request", await File.ReadAllTextAsync(Path.Combine(directory, "report.md")));
        Assert.DoesNotContain("Bytes on the wire per request", await File.ReadAllTextAsync(Path.Combine(directory, "report.html")));
        var table = ReportWriter.MarkdownTable(committed[0]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var column = table[0].Split(" | ").ToList().IndexOf("chain B/req");
        Assert.All(table.Skip(2), line => Assert.Equal("–", line.Split(" | ")[column]));
    }

    private static int CellCount(string markdownLine) => Regex.Matches(markdownLine, @"(?<!\\)\|").Count;

    /// <summary>A run whose services cost <paramref name="cpuScale"/> × a baseline per request, over a 10 s window.</summary>
    internal static ComparisonRow Row(string name, TargetKind target, string chain, string connectionShape, StreamMode? streamMode,
        double requestsPerSecond, double p50Ms, double cpuScale, Dictionary<string, long>? errors = null, string? mismatch = null)
    {
        const double seconds = 10;
        errors ??= [];
        var succeeded = (long)(requestsPerSecond * seconds);
        var settings = new LoadSettings
        {
            Target = target,
            Address = target is TargetKind.Rest ? new Uri("http://localhost:8002/aggregate") : new Uri("http://localhost:50053"),
            Duration = TimeSpan.FromSeconds(seconds),
            StreamMode = streamMode,
        };
        var run = new RunResult(name, settings, connectionShape, succeeded + errors.Values.Sum(), succeeded, errors, 0, seconds, seconds,
            new LatencySummary(p50Ms * 1.2, p50Ms, p50Ms * 1.8, p50Ms * 3.5, p50Ms * 7, p50Ms * 12));

        ServiceCpu Cpu(string service, double msPerRequest) =>
            new(service, msPerRequest * succeeded, msPerRequest, msPerRequest * requestsPerSecond / 10, succeeded, 0);
        ServiceCpu[] services =
            [Cpu($"aggregator-{chain}", 0.060 * cpuScale), Cpu($"processor-{chain}", 0.040 * cpuScale), Cpu($"producer-{chain}", 0.025 * cpuScale)];
        var loadGenerator = Cpu("loadgenerator", 0.03);

        var served = services.ToDictionary(s => s.Service, s => s.Served);
        if (mismatch is not null)
        {
            served[$"processor-{chain}"] -= 50;
        }
        var reconciliation = new Reconciliation(mismatch is null, succeeded, served, mismatch ?? "");

        var timeline = Enumerable.Range(1, 5).Select(second => new CpuPoint(second,
            services.Append(loadGenerator).ToDictionary(s => s.Service, s => s.PercentOfCore * (0.9 + 0.05 * second)))).ToList();

        var others = new OtherProcesses(7.5, [new ProcessShare("Aspire.Dashboard", 5.2), new ProcessShare("dcp", 1.1)]);
        return new ComparisonRow(run, chain, services, services.Sum(s => s.CpuMsPerRequest),
            services.Sum(s => s.PercentOfCore), loadGenerator,
            new ServiceCpu("machine", 0, 0, services.Sum(s => s.PercentOfCore) + loadGenerator.PercentOfCore + 20, 0, 0),
            others, new QuietWait(1.0, 3.2, true), reconciliation, timeline);
    }
}
