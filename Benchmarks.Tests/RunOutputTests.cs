using System.Diagnostics;
using System.Text.Json;
using LoadGenerator;
using LoadGenerator.Baselines;
using LoadGenerator.Reports;
using LoadGenerator.Runs;

namespace Benchmarks.Tests;

/// <summary>A single run in each of -O's formats, and the name and tags every report keeps: made-up runs, no Aspire app needed.</summary>
public sealed class RunOutputTests : IDisposable
{
    private static readonly RunLabels Labels = new("nightly", new Dictionary<string, string> { ["env"] = "ci", ["commit"] = "abc123" });

    private readonly string directory = Directory.CreateTempSubdirectory("run-output-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Json_is_the_whole_run_with_its_seconds_name_and_tags_and_reads_back()
    {
        var report = Report();

        var json = RunWriter.Render(report, OutputFormat.Json, distribution: false);
        await File.WriteAllTextAsync(Path.Combine(directory, "run.json"), json);

        using var document = JsonDocument.Parse(json);
        Assert.Equal("nightly", document.RootElement.GetProperty("name").GetString());
        Assert.Equal("ci", document.RootElement.GetProperty("tags").GetProperty("env").GetString());
        Assert.Equal(3, document.RootElement.GetProperty("run").GetProperty("perSecond").GetArrayLength());
        var read = await BaselineReports.ReadRunAsync(Path.Combine(directory, "run.json"), CancellationToken.None);
        Assert.Equal(report.Run.PerSecond, read.Run.PerSecond);
        Assert.Equal(report.Run.Latency, read.Run.Latency);
        Assert.Equal(report.Labels.Line, read.Labels.Line);
    }

    [Fact]
    public void Csv_is_one_line_per_whole_second()
    {
        var lines = RunWriter.Render(Report(), OutputFormat.Csv, distribution: false).TrimEnd().Split('\n');

        Assert.Equal(["second,ok,p50_ms,p90_ms,p99_ms", "0,900,1,2,4", "1,1000,1.1,2.2,4.4", "2,1100,1.2,2.4,4.8"], lines);
        Assert.Equal(["second,ok,p50_ms,p90_ms,p99_ms"], RunWriter.Csv(Report().Run with { PerSecond = null }).TrimEnd().Split('\n'));
    }

    [Fact]
    public void Html_is_a_self_contained_page_with_the_figures_the_seconds_and_the_labels()
    {
        var page = RunWriter.Render(Report(), OutputFormat.Html, distribution: false);

        Assert.StartsWith("<!doctype html>", page);
        Assert.Contains("Name: nightly; tags: env=ci, commit=abc123", page);
        Assert.Contains("<h2>Second by second</h2>", page);
        Assert.Contains("<td class=\"num\">1,100</td>", page);
        Assert.DoesNotContain("<script", page);
        Assert.DoesNotContain(" src=", page);
        Assert.EndsWith("</html>\n", page);
    }

    [Fact]
    public void The_summary_is_the_consoles_with_the_labels_first()
    {
        var summary = RunWriter.Render(Report(), OutputFormat.Summary, distribution: false).Split('\n');

        Assert.Equal("Name: nightly; tags: env=ci, commit=abc123", summary[0]);
        Assert.StartsWith("Requests: 3,000 sent (3,000 ok, 0 failed) in 3.00 s", summary[1]);
        Assert.StartsWith("Rate:     1,000 ok/s", summary[2]);
        Assert.StartsWith("Latency:  of the successes: mean 1.2 ms, p50 1.1, p90 2.2, p99 4.4", summary[3]);
        Assert.Equal("Errors:   none", summary[4]);
        Assert.StartsWith("Requests:", RunWriter.Summary(Report() with { Labels = RunLabels.None }, distribution: false));
    }

    [Fact]
    public async Task A_comparisons_name_and_tags_are_in_its_json_markdown_and_page_and_a_report_without_reads_as_none()
    {
        var row = ReportTests.Row("REST", TargetKind.Rest, "rest", "1 connection", null, 1000, 1.0, cpuScale: 1.0);
        var report = new ComparisonReport(DateTimeOffset.UnixEpoch, new MachineInfo(2, "Linux", ".NET 10"), "telemetry", [row]) { Labels = Labels };

        await ReportWriter.WriteAsync(report, directory, CancellationToken.None);
        await ReportWriter.WriteAsync(report with { Labels = RunLabels.None }, Path.Combine(directory, "unlabelled"), CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "report.json")));
        Assert.Equal(("nightly", "abc123"), (json.RootElement.GetProperty("name").GetString(), json.RootElement.GetProperty("tags").GetProperty("commit").GetString()));
        Assert.Contains("\nName: nightly; tags: env=ci, commit=abc123\n", await File.ReadAllTextAsync(Path.Combine(directory, "report.md")));
        Assert.Contains("Name: nightly; tags: env=ci, commit=abc123", await File.ReadAllTextAsync(Path.Combine(directory, "report.html")));
        var unlabelled = Path.Combine(directory, "unlabelled", "report.json");
        Assert.DoesNotContain("\"tags\"", await File.ReadAllTextAsync(unlabelled));
        Assert.Equal(RunLabels.None, (await BaselineReports.ReadComparisonAsync(unlabelled, CancellationToken.None)).Labels);
    }

    [Fact]
    public async Task A_sweeps_name_and_tags_are_in_its_json_and_markdown()
    {
        var sweep = new SweepReport(DateTimeOffset.UnixEpoch, new MachineInfo(2, "Linux", ".NET 10"), new SweepSettings(), []) { Labels = Labels };

        await SweepWriter.WriteAsync(sweep, directory, CancellationToken.None);

        Assert.Contains("\"name\": \"nightly\"", await File.ReadAllTextAsync(Path.Combine(directory, "sweep.json")));
        Assert.Contains("\nName: nightly; tags: env=ci, commit=abc123\n", await File.ReadAllTextAsync(Path.Combine(directory, "sweep.md")));
    }

    [Fact]
    public void A_soaks_name_and_tags_are_in_its_markdown()
    {
        var soak = new SoakReport(DateTimeOffset.UnixEpoch, new MachineInfo(2, "Linux", ".NET 10"), new SoakSettings(), []) { Labels = Labels };

        Assert.Contains("\nName: nightly; tags: env=ci, commit=abc123\n", SoakWriter.Markdown(soak));
        Assert.DoesNotContain("Name:", SoakWriter.Markdown(soak with { Labels = RunLabels.None }));
    }

    [Fact]
    public void Per_second_latency_puts_each_success_in_the_second_it_came_back_and_keeps_whole_seconds_only()
    {
        // Started 2.5 s ago: what is recorded now is in second 2.
        var seconds = new PerSecondLatency(Stopwatch.GetTimestamp() - (long)(2.5 * Stopwatch.Frequency));
        for (var micros = 1_000; micros <= 4_000; micros += 1_000) seconds.Record(micros);

        var samples = seconds.Samples(3.9);

        Assert.Equal(3, samples.Count);
        Assert.Equal([0L, 0L, 4L], samples.Select(s => s.Succeeded));
        Assert.InRange(samples[2].P50Ms, 1.9, 2.1);
        Assert.InRange(samples[2].P99Ms, 3.9, 4.1);
        Assert.Empty(seconds.Samples(0.9));
    }

    private static RunReport Report()
    {
        var settings = new LoadSettings { Target = TargetKind.Rest, Address = new Uri("http://127.0.0.1:8002/aggregate"), Duration = TimeSpan.FromSeconds(3) };
        var run = new RunResult("measured", settings, "50 connections", 3000, 3000, new Dictionary<string, long>(), 0, 3, 3, new LatencySummary(1.2, 1.1, 2.2, 4.4, 6, 9))
        {
            PerSecond = [new SecondSample(900, 1, 2, 4), new SecondSample(1000, 1.1, 2.2, 4.4), new SecondSample(1100, 1.2, 2.4, 4.8)],
        };
        return new RunReport(DateTimeOffset.UnixEpoch, new MachineInfo(2, "Linux", ".NET 10"), run) { Labels = Labels };
    }
}
