using System.Text.RegularExpressions;
using LoadGenerator;
using LoadGenerator.Reports;
using LoadGenerator.Runs;

namespace Benchmarks.Tests;

/// <summary>A sweep's report, written from given rows: the knee table, each row's steps, one chart per transport.</summary>
public sealed class SweepReportTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "sweep-report-" + Guid.NewGuid().ToString("N"));

    private static SweepRow Row(Scenario scenario, string name, double[] p99s)
    {
        var steps = KneeTests.Steps([10, 50, 100, 150], p99s);
        var settings = new LoadSettings { Target = scenario.Target, StreamMode = scenario.StreamMode, Address = new Uri("http://localhost:1") };
        return new SweepRow(name, settings, "shape", new QuietWait(1, 2, true), 3, 1000, steps, Knee.Find(steps, 3, 1000));
    }

    private static SweepReport Report() => new(DateTimeOffset.Parse("2026-01-02T03:04:05+00:00"), new MachineInfo(2, "Linux", ".NET 10"), new SweepSettings(),
    [
        Row(Scenario.RestCeiling, "REST ceiling", [0.5, 0.6, 0.9, 40]),
        Row(Scenario.Rest, "REST", [3, 4, 20, 300]),
        Row(Scenario.GrpcShared, "gRPC shared", [2, 2.5, 5, 8]),
        Row(Scenario.GrpcPerRequest, "gRPC per request", [50, 60, 70, 80]),
    ]);

    [Fact]
    public async Task The_report_has_the_knees_then_every_rows_steps_and_a_chart_per_transport_with_a_marker_at_each_knee()
    {
        var report = Report();

        var knees = await SweepWriter.WriteAsync(report, directory, CancellationToken.None);
        var markdown = await File.ReadAllTextAsync(Path.Combine(directory, "sweep.md"));
        var html = await File.ReadAllTextAsync(Path.Combine(directory, "sweep.html"));
        var json = await File.ReadAllTextAsync(Path.Combine(directory, "sweep.json"));

        Assert.Contains("| REST | 1,000 | 500 | 50% | 4.00 | 9.00 |", knees);
        Assert.Contains("| gRPC shared | 1,000 | 1,000 | 100% | 5.00 | 6.00 |", knees);
        Assert.Contains("| gRPC per request | 1,000 | 1,500 | 150% | 80.00 | 150.00 |", knees);
        Assert.Contains(Knee.Rule(3), markdown);
        Assert.True(markdown.IndexOf("## Knees", StringComparison.Ordinal) < markdown.IndexOf("### REST ceiling", StringComparison.Ordinal));
        Assert.Equal(4, Regex.Matches(markdown, "◀ knee").Count);

        // Two charts, REST's rows on one and gRPC's on the other: p50 dashed and p99 solid per row, a diamond per knee.
        var charts = Regex.Matches(html, "<svg class=\"chart\".*?</svg>", RegexOptions.Singleline).Select(m => m.Value).ToList();
        Assert.Equal(2, charts.Count);
        Assert.Contains("REST: p50 and p99", charts[0]);
        Assert.Contains("gRPC: p50 and p99", charts[1]);
        Assert.All(charts, chart =>
        {
            Assert.Equal(2, Regex.Matches(chart, "stroke-dasharray").Count);
            Assert.Equal(4, Regex.Matches(chart, "<polyline").Count);
            Assert.Equal(2, Regex.Matches(chart, "<polygon class=\"knee\"").Count);
            Assert.Contains("log scale", chart);
        });
        Assert.DoesNotContain("<script", html);

        Assert.Contains("\"knee\": {", json);
        Assert.Contains("\"offeredRate\": 1500", json);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
