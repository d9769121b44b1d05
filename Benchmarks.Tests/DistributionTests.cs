using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HdrHistogram;
using LoadGenerator;
using LoadGenerator.Reports;
using LoadGenerator.Runs;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>Each row's whole latency distribution: kept in report.json, written beside the report, drawn in its page. No Aspire app needed.</summary>
public sealed class DistributionTests : IDisposable
{
    private const string CsvHeader = "\"Value\",\"Percentile\",\"TotalCount\",\"1/(1-Percentile)\"";

    private readonly string directory = Path.Combine(Path.GetTempPath(), $"distribution-tests-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    /// <summary>
    /// A ceiling, two rows of batches of 10 and one of batches of 100, each a histogram whose latencies run evenly on a log
    /// scale between two bounds: together they span over three orders of magnitude, as a report's rows do.
    /// </summary>
    private static readonly (ComparisonRow Row, LongHistogram Histogram)[] Rows =
    [
        Kept(ReportTests.Row("REST ceiling: one no-op hop", TargetKind.RestNoop, "rest", "50 connections", null, 40_000, 0.9, 0.2), 0.05, 4, 20_000),
        Kept(ReportTests.Row("REST", TargetKind.Rest, "rest", "50 connections", null, 6_500, 7, 2), 0.5, 120, 150_000),
        Kept(ReportTests.Row("gRPC unary, shared streams", TargetKind.GrpcUnary, "grpc", "1 HTTP/2 connection", StreamMode.Shared, 15_000, 3, 1), 0.2, 30, 10_000),
        Kept(ReportTests.Row("REST, 100 records", TargetKind.Rest, "rest", "50 connections", null, 1_000, 40, 8), 5, 400, 5_000, size: 100),
    ];

    private static readonly ComparisonReport Report = new(
        new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), new MachineInfo(2, "Debian 13", ".NET 10.0.0"), "Telemetry as the AppHost sets it.",
        Rows.Select(r => r.Row).ToList());

    private static (ComparisonRow, LongHistogram) Kept(ComparisonRow row, double fromMs, double toMs, int count, int size = 10)
    {
        var histogram = new LongHistogram(1, (long)TimeSpan.FromMinutes(1).TotalMicroseconds, 3);
        for (var i = 0; i < count; i++)
        {
            histogram.RecordValue((long)(1000 * fromMs * Math.Pow(toMs / fromMs, i / (count - 1.0))));
        }
        var run = row.Run with { Settings = row.Run.Settings with { Size = size }, LatencyHistogram = LatencyHistogram.Encode(histogram) };
        return (row with { Run = run }, histogram);
    }

    [Fact]
    public async Task Each_rows_hgrm_parses_and_gives_its_histograms_median_in_milliseconds()
    {
        await ReportWriter.WriteAsync(Report, directory, CancellationToken.None);

        string[] names = ["01-rest-ceiling-one-no-op-hop", "02-rest", "03-grpc-unary-shared-streams", "04-rest-100-records"];
        Assert.Equal(names.SelectMany(n => new[] { n + ".csv", n + ".hgrm" }).Order(),
            Directory.EnumerateFiles(Path.Combine(directory, "latency")).Select(Path.GetFileName).Order());
        for (var i = 0; i < Rows.Length; i++)
        {
            var histogram = Rows[i].Histogram;
            var text = await File.ReadAllTextAsync(Path.Combine(directory, "latency", names[i] + ".hgrm"));
            var lines = HgrmLines(text);

            Assert.Equal(0, lines[0].Percentile);
            Assert.Equal(1, lines[^1].Percentile);
            Assert.True(lines.Zip(lines.Skip(1)).All(pair => pair.First.Percentile <= pair.Second.Percentile && pair.First.Ms <= pair.Second.Ms));
            Assert.Equal(histogram.TotalCount, lines[^1].Count);
            // The first line at or past 50% is the median, printed in ms to the microsecond: within the histogram's precision there.
            var p50 = histogram.GetValueAtPercentile(50);
            var median = lines.First(line => line.Percentile >= 0.5).Ms * 1000;
            Assert.InRange(median, p50 - histogram.SizeOfEquivalentValueRange(p50) - 1, p50 + histogram.SizeOfEquivalentValueRange(p50) + 1);
            Assert.Contains($"Total count    = {histogram.TotalCount,12}", text);
        }
    }

    [Fact]
    public async Task Each_rows_csv_has_the_header_and_the_hgrms_lines()
    {
        await ReportWriter.WriteAsync(Report, directory, CancellationToken.None);

        var hgrm = HgrmLines(await File.ReadAllTextAsync(Path.Combine(directory, "latency", "02-rest.hgrm")));
        var csv = (await File.ReadAllTextAsync(Path.Combine(directory, "latency", "02-rest.csv"))).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(CsvHeader, csv[0]);
        Assert.Equal(hgrm.Count, csv.Length - 1);
        Assert.Equal(hgrm.Select(line => line.Ms), csv.Skip(1).Select(line => double.Parse(line.Split(',')[0], CultureInfo.InvariantCulture)));
        Assert.EndsWith(",Infinity", csv[^1]);
    }

    [Fact]
    public async Task Report_json_keeps_each_histogram_whole()
    {
        await ReportWriter.WriteAsync(Report, directory, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "report.json")));
        var rows = json.RootElement.GetProperty("rows");
        for (var i = 0; i < Rows.Length; i++)
        {
            var decoded = LatencyHistogram.Decode(rows[i].GetProperty("run").GetProperty("latencyHistogram").GetString()!);
            var histogram = Rows[i].Histogram;
            Assert.Equal(histogram.TotalCount, decoded.TotalCount);
            Assert.Equal(histogram.GetValueAtPercentile(99), decoded.GetValueAtPercentile(99));
            Assert.Equal(histogram.GetMaxValue(), decoded.GetMaxValue());
        }
        // Read back, the report writes the same files again: the raw run is not needed.
        var read = await ReadmeResults.LoadAsync(directory, CancellationToken.None);
        var again = Path.Combine(directory, "again");
        await ReportWriter.WriteAsync(Assert.Single(read), again, CancellationToken.None);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(directory, "latency", "02-rest.hgrm")),
            await File.ReadAllTextAsync(Path.Combine(again, "latency", "02-rest.hgrm")));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(directory, "report.html")), await File.ReadAllTextAsync(Path.Combine(again, "report.html")));
    }

    [Fact]
    public async Task The_page_draws_a_distribution_chart_per_batch_size_with_a_line_per_row()
    {
        await ReportWriter.WriteAsync(Report, directory, CancellationToken.None);

        var html = await File.ReadAllTextAsync(Path.Combine(directory, "report.html"));
        Assert.Contains("<h2>Latency distribution</h2>", html);
        var charts = Regex.Matches(html, "<svg class=\"chart\" data-series-count=\"(\\d+)\"[^>]*><title>Latency distribution: ([^<]*)</title>(.*?)</svg>");
        Assert.Equal(["Batches of 10 records, and the ceilings", "Batches of 100 records"], charts.Select(c => c.Groups[2].Value));
        Assert.Equal([3, 1], charts.Select(c => Regex.Count(c.Groups[3].Value, "<path ")));
        Assert.All(charts, chart => Assert.True(int.Parse(chart.Groups[1].Value) > 10, chart.Value[..80]));
        var tens = charts[0].Groups[3].Value;
        // The ceiling's line dashed, the rows' solid; each named in the legend.
        Assert.Single(Regex.Matches(tens, "<path [^>]*stroke-dasharray"));
        Assert.All(Rows.Take(3), r => Assert.Contains($">{r.Row.Run.Name}</text>", tens));
        // 0.05 ms to 120 ms: a log latency axis; 150,000 successes resolve 99.999%, no row 99.9999%.
        Assert.Contains("latency ms (log scale)", tens);
        Assert.Contains(">99.999%</text>", tens);
        Assert.DoesNotContain(">99.9999%</text>", tens);
        // One row alone spans under two orders of magnitude: a linear axis, to 99.9% (5,000 successes resolve 99.98%).
        Assert.Contains(">latency ms</text>", charts[1].Groups[3].Value);
        Assert.Contains(">99.9%</text>", charts[1].Groups[3].Value);
        Assert.DoesNotContain(">99.99%</text>", charts[1].Groups[3].Value);
        Assert.Contains("href=\"latency/02-rest.hgrm\"", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_ceilings_have_a_chart_of_their_own_when_the_default_size_was_not_measured()
    {
        var report = Report with { Rows = [Rows[0].Row, Rows[3].Row] };
        await ReportWriter.WriteAsync(report, directory, CancellationToken.None);

        var html = await File.ReadAllTextAsync(Path.Combine(directory, "report.html"));
        Assert.Equal(["The ceilings: one no-op hop of each shape", "Batches of 100 records"],
            Regex.Matches(html, "<title>Latency distribution: ([^<]*)</title>").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task Report_md_links_every_file_it_names()
    {
        await ReportWriter.WriteAsync(Report, directory, CancellationToken.None);

        var markdown = await File.ReadAllTextAsync(Path.Combine(directory, "report.md"));
        Assert.Contains("## Latency distribution", markdown);
        var links = Regex.Matches(markdown, @"\]\((latency/[^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2 * Rows.Length, links.Count);
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(directory, link)), link));
        Assert.Contains("| REST, 100 records | [04-rest-100-records.hgrm](latency/04-rest-100-records.hgrm) · [csv](latency/04-rest-100-records.csv) |", markdown);
    }

    [Fact]
    public async Task A_report_written_before_histograms_were_kept_still_reads_and_renders()
    {
        var committed = Path.Combine(Repository.Root, "docs", "results", "2026-11-25", "run-1");
        var report = Assert.Single(await ReadmeResults.LoadAsync(committed, CancellationToken.None));
        Assert.All(report.Rows, row => Assert.Null(row.Run.LatencyHistogram));

        await ReportWriter.WriteAsync(report, directory, CancellationToken.None);

        Assert.False(Directory.Exists(Path.Combine(directory, "latency")));
        Assert.DoesNotContain("Latency distribution", await File.ReadAllTextAsync(Path.Combine(directory, "report.md")));
        var html = await File.ReadAllTextAsync(Path.Combine(directory, "report.html"));
        Assert.DoesNotContain("Latency distribution", html);
        Assert.Equal(3 + report.Rows.Count, Regex.Count(html, "<svg class=\"chart\""));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "report.json")));
        Assert.False(json.RootElement.GetProperty("rows")[0].GetProperty("run").TryGetProperty("latencyHistogram", out _));
    }

    [Fact]
    public void The_recorder_keeps_its_successes_histogram_and_nothing_when_none_succeeded()
    {
        var recorder = new LatencyRecorder();
        Assert.Null(recorder.EncodedHistogram());
        for (var i = 1; i <= 1_000; i++)
        {
            recorder.Record(TimeSpan.FromMicroseconds(100 * i), null);
        }
        recorder.Record(TimeSpan.FromSeconds(5), "timeout");

        var decoded = LatencyHistogram.Decode(recorder.EncodedHistogram()!);

        Assert.Equal(1_000, decoded.TotalCount);
        Assert.Equal(recorder.Summary().P99Ms, decoded.GetValueAtPercentile(99) / LatencyHistogram.UnitsPerMillisecond);
        Assert.Equal(recorder.Summary().MaxMs, decoded.GetMaxValue() / LatencyHistogram.UnitsPerMillisecond);
    }

    [Fact]
    public void Text_that_is_no_histogram_is_refused_with_a_reason()
    {
        Assert.Throws<InvalidDataException>(() => LatencyHistogram.Decode("not base64!"));
        Assert.Throws<InvalidDataException>(() => LatencyHistogram.Decode(Convert.ToBase64String("a histogram? no"u8.ToArray())));
    }

    [Theory]
    [InlineData("REST (JSON) over HTTP/1.1", "rest-json-over-http-1-1")]
    [InlineData("gRPC unary, stream per request", "grpc-unary-stream-per-request")]
    [InlineData("gRPC streaming ceiling: one no-op bidi echo", "grpc-streaming-ceiling-one-no-op-bidi-echo")]
    [InlineData("  -- ", "row")]
    [InlineData("REST, 1,000 records", "rest-1-000-records")]
    public void A_rows_file_name_is_a_filesystem_safe_slug_of_its_name(string name, string slug) =>
        Assert.Equal(slug, LatencyFiles.Slug(name));

    [Fact]
    public void Rows_of_the_same_name_get_files_of_their_own()
    {
        var report = Report with { Rows = [Rows[1].Row, Rows[1].Row, Rows[2].Row] };

        Assert.Equal(["01-rest", "02-rest", "03-grpc-unary-shared-streams"], LatencyFiles.Named(report).Select(n => n.Name));
    }

    private static List<(double Ms, double Percentile, long Count)> HgrmLines(string hgrm)
    {
        var lines = hgrm.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["Value", "Percentile", "TotalCount", "1/(1-Percentile)"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return lines.Skip(1).Where(line => !line.StartsWith('#')).Select(line =>
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.InRange(fields.Length, 3, 4);
            return (double.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[2], CultureInfo.InvariantCulture));
        }).ToList();
    }
}
