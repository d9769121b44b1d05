using LoadGenerator;
using LoadGenerator.Baselines;
using LoadGenerator.Cli;
using LoadGenerator.Reports;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>A run against its baseline, on made-up reports with known per-second samples and on a committed one without: no Aspire app needed.</summary>
public sealed class BaselineTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("baseline-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Mann_whitney_finds_two_sets_apart_and_a_set_like_itself()
    {
        double[] low = [1, 2, 3, 4, 5], high = [6, 7, 8, 9, 10];

        // U = 0 of 25: z = (12.5 - 0.5) / √(25·11/12) = 2.507, two-sided p = 0.0122.
        Assert.InRange(MannWhitney.PValue(low, high), 0.0120, 0.0124);
        Assert.Equal(MannWhitney.PValue(low, high), MannWhitney.PValue(high, low), 12);
        // Ten apart: z = 49.5 / √(100·21/12) = 3.742, p = 0.00018.
        Assert.InRange(MannWhitney.PValue([.. Enumerable.Range(1, 10).Select(i => (double)i)], [.. Enumerable.Range(11, 10).Select(i => (double)i)]), 0.00017, 0.00019);
        Assert.Equal(1, MannWhitney.PValue(low, low), 6);
        Assert.Equal(1, MannWhitney.PValue([3, 3, 3, 3, 3], [3, 3, 3, 3, 3]));
        Assert.True(MannWhitney.PValue([1, 3, 5, 7, 9], [2, 4, 6, 8, 10]) > 0.5);
    }

    [Theory]
    [InlineData("p99>+10%", BaselineMetric.P99, true, 10.0)]
    [InlineData("rps<-5%", BaselineMetric.Rps, false, -5.0)]
    [InlineData(" p50 > 20 % ", BaselineMetric.P50, true, 20.0)]
    [InlineData("CPU>+2.5%", BaselineMetric.Cpu, true, 2.5)]
    [InlineData("p90<-0.5%", BaselineMetric.P90, false, -0.5)]
    public void A_threshold_reads_metric_direction_and_percent(string text, BaselineMetric metric, bool above, double percent)
    {
        var threshold = Threshold.Parse(text);

        Assert.Equal(new Threshold(metric, above, percent), threshold);
        Assert.Equal(threshold, Threshold.Parse(threshold!.ToString()));
    }

    [Theory]
    [InlineData("p99>>10%")]
    [InlineData("p99=+10%")]
    [InlineData("p95>+10%")]
    [InlineData("p99>+10")]
    [InlineData("p99>+ten%")]
    [InlineData(">+10%")]
    [InlineData("")]
    public void What_is_not_a_threshold_is_refused(string text) => Assert.Null(Threshold.Parse(text));

    [Fact]
    public void A_clearly_slower_row_is_a_significant_change_and_breaches_and_a_row_within_noise_does_not()
    {
        var baseline = Comparison(Sampled(Row(Scenario.Rest), rps: 1000, p99: 4.0), Sampled(Row(Scenario.GrpcShared), rps: 2000, p99: 2.0));
        // REST loses a fifth of its throughput and gains 30% of p99, every second of it; gRPC's p99 figure is 12% up, but its seconds are the baseline's.
        var current = Comparison(Sampled(Row(Scenario.Rest), rps: 800, p99: 5.2), Sampled(Row(Scenario.GrpcShared), rps: 2000, p99: 2.0, p99Figure: 2.24));

        var comparison = BaselineComparison.Of(baseline, current);

        var rest = Metric(comparison, Scenario.Rest, BaselineMetric.P99);
        var grpc = Metric(comparison, Scenario.GrpcShared, BaselineMetric.P99);
        Assert.Equal((4.0, 5.2), (rest.Baseline, rest.Current));
        Assert.Equal(30, rest.ChangePercent, 6);
        Assert.True(rest.Significant);
        Assert.Equal(-20, Metric(comparison, Scenario.Rest, BaselineMetric.Rps).ChangePercent, 6);
        Assert.True(Metric(comparison, Scenario.Rest, BaselineMetric.Rps).Significant);
        Assert.Equal(12, grpc.ChangePercent, 6);
        Assert.False(grpc.Significant);
        Assert.StartsWith("not significant (p = ", grpc.Significance);

        var breaches = comparison.Breaches([Threshold.Parse("p99>+10%")!, Threshold.Parse("rps<-5%")!]);
        Assert.Equal(2, breaches.Count);
        Assert.All(breaches, b => Assert.StartsWith(Scenario.Rest.Name + ": ", b));
        Assert.Contains(breaches, b => b.Contains("p99 +30.0% (significant (p = ") && b.EndsWith("breaches p99>+10%"));
        Assert.Contains(breaches, b => b.Contains("rps -20.0%") && b.EndsWith("breaches rps<-5%"));
        // Past the limit but not past it in this direction, or not this metric: nothing.
        Assert.Empty(comparison.Breaches([Threshold.Parse("p99<-10%")!, Threshold.Parse("p50>+50%")!]));
    }

    [Fact]
    public void The_chains_cpu_per_request_is_sampled_second_by_second_from_the_cpu_timeline()
    {
        var row = Sampled(Row(Scenario.Rest), rps: 1000, p99: 4.0);

        var figures = RowFigures.Of(row);

        // Each second: the chain's services' % of one core × 10 = CPU-ms, over that second's successes.
        var expected = row.CpuTimeline.Zip(row.Run.PerSecond!, (point, second) => row.Services.Sum(s => point.PercentOfCore[s.Service]) * 10 / second.Succeeded).ToList();
        Assert.Equal(expected, figures.Samples![BaselineMetric.Cpu]);
        Assert.Equal(row.ChainCpuMsPerRequest, figures.Values[BaselineMetric.Cpu]);
        Assert.Equal("rest at 10", figures.Key);
    }

    [Fact]
    public async Task A_committed_report_without_samples_gives_deltas_whose_significance_is_unknown_and_breaches_by_the_change_alone()
    {
        var path = Path.Combine(Repository.Root, "docs", "results", "2026-11-25", "run-1", "report.json");
        var old = await BaselineReports.ReadComparisonAsync(path, CancellationToken.None);
        Assert.All(old.Rows, row => Assert.Null(row.Run.PerSecond));
        Assert.Null(old.Name);
        var slower = old with { Rows = [.. old.Rows.Select(row => row with { Run = row.Run with { Latency = row.Run.Latency with { P99Ms = row.Run.Latency.P99Ms * 1.2 } } })] };

        var comparison = BaselineComparison.Of(old, slower);

        Assert.Equal(old.Rows.Count, comparison.Rows.Count);
        Assert.All(comparison.Rows, row => Assert.Null(row.Unmatched));
        Assert.All(comparison.Rows.SelectMany(r => r.Metrics), m => Assert.Equal("no samples: significance unknown", m.Significance));
        Assert.All(comparison.Rows.SelectMany(r => r.Metrics).Where(m => m.Metric == BaselineMetric.P99), m => Assert.Equal(20, m.ChangePercent, 6));
        Assert.Equal(old.Rows.Count, comparison.Breaches([Threshold.Parse("p99>+10%")!]).Count);
        Assert.Empty(comparison.Breaches([Threshold.Parse("p99>+25%")!, Threshold.Parse("rps<-1%")!]));
        Assert.Contains("| no samples: significance unknown |", comparison.Table());
    }

    [Fact]
    public void Rows_one_side_lacks_are_listed_with_no_figures()
    {
        var comparison = BaselineComparison.Of(Comparison(Row(Scenario.Rest)), Comparison(Row(Scenario.GrpcShared)));

        Assert.Equal([(Scenario.GrpcShared.Name, "not in the baseline"), (Scenario.Rest.Name, "in the baseline only")],
            comparison.Rows.Select(r => (r.Name, r.Unmatched)));
        Assert.All(comparison.Rows, r => Assert.Empty(r.Metrics));
    }

    [Fact]
    public async Task A_single_runs_json_is_its_baseline_and_a_compare_report_is_refused_as_one()
    {
        var run = Sampled(Row(Scenario.GrpcShared), rps: 2000, p99: 2.0).Run;
        var report = new RunReport(DateTimeOffset.UnixEpoch, new MachineInfo(2, "Linux", ".NET 10"), run) { Labels = new RunLabels("base", new Dictionary<string, string> { ["env"] = "ci" }) };
        var json = Path.Combine(directory, "run.json");
        await File.WriteAllTextAsync(json, RunWriter.Render(report, OutputFormat.Json, distribution: false));
        var compare = Path.Combine(directory, "report.json");
        await ReportWriter.WriteAsync(Comparison(Row(Scenario.Rest)), directory, CancellationToken.None);

        var read = await BaselineReports.ReadRunAsync(json, CancellationToken.None);

        Assert.Equal(("base", "ci"), (read.Name, read.Tags!["env"]));
        Assert.Equal(run.PerSecond, read.Run.PerSecond);
        var same = BaselineComparison.Of(read, report);
        Assert.All(same.Rows.Single().Metrics, m => Assert.Equal((0.0, false), (m.ChangePercent, m.Significant)));
        var wrongKind = await Assert.ThrowsAsync<UsageException>(() => BaselineReports.ReadRunAsync(compare, CancellationToken.None));
        Assert.Equal($"--baseline {compare} is not the kind of report this run is: a single run's baseline is what -O json wrote for one", wrongKind.Message);
        var wrongWay = await Assert.ThrowsAsync<UsageException>(() => BaselineReports.ReadComparisonAsync(json, CancellationToken.None));
        Assert.EndsWith("compare's baseline is the report.json of an earlier compare", wrongWay.Message);
        var missing = await Assert.ThrowsAsync<UsageException>(() => BaselineReports.ReadRunAsync(Path.Combine(directory, "none.json"), CancellationToken.None));
        Assert.StartsWith($"--baseline {Path.Combine(directory, "none.json")} can't be read: ", missing.Message);
    }

    [Fact]
    public void A_breach_sets_its_own_exit_code_and_the_table_shows_every_figure()
    {
        var baseline = Comparison(Sampled(Row(Scenario.Rest), rps: 1000, p99: 4.0));
        var slower = BaselineComparison.Of(baseline, Comparison(Sampled(Row(Scenario.Rest), rps: 800, p99: 5.2)));
        var output = new StringWriter();

        Assert.Equal(ExitCodes.ThresholdBreached, ConsoleRunner.Judged(slower, new BaselineCheck("b.json", [Threshold.Parse("p99>+10%")!]), output, ExitCodes.Ok));
        Assert.Equal(ExitCodes.RunFailed, ConsoleRunner.Judged(slower, new BaselineCheck("b.json", [Threshold.Parse("p99>+50%")!]), TextWriter.Null, ExitCodes.RunFailed));
        Assert.Equal(ExitCodes.Ok, ConsoleRunner.Judged(slower, new BaselineCheck("b.json", []), TextWriter.Null, ExitCodes.Ok));

        var text = output.ToString();
        Assert.Contains("Against the baseline b.json:", text);
        Assert.Contains("| row | metric | baseline | current | change | significance |", text);
        Assert.Contains($"| {Scenario.Rest.Name} | p99 ms | 4.00 | 5.20 | +30.0% | significant (p = ", text);
        Assert.Contains($"| {Scenario.Rest.Name} | req/s | 1,000 | 800 | -20.0% | significant (p = ", text);
        Assert.Contains($"FAIL {Scenario.Rest.Name}: p99 +30.0%", text);
        Assert.Equal(5, text.Split('\n').Count(line => line.StartsWith($"| {Scenario.Rest.Name} |")));
    }

    private static ComparisonRow Row(Scenario scenario) =>
        ReportTests.Row(scenario.Name, scenario.Target, scenario.Chain, "1 connection", scenario.StreamMode, 1000, 1.0, cpuScale: 1.0) is var row
            ? row with { Run = row.Run with { Settings = row.Run.Settings with { HttpVersion = scenario.HttpVersion, Encoding = scenario.Encoding } } }
            : throw new InvalidOperationException();

    /// <summary>
    /// A row whose 10 seconds answered about <paramref name="rps"/> each with a p99 about <paramref name="p99"/> (a few percent
    /// of deterministic wobble), and whose whole-window figures are those, or <paramref name="p99Figure"/>.
    /// </summary>
    private static ComparisonRow Sampled(ComparisonRow row, double rps, double p99, double? p99Figure = null)
    {
        var seconds = Enumerable.Range(0, 10).Select(i => 1 + 0.04 * Math.Sin(1.7 * i + rps)).ToList();
        var run = row.Run with
        {
            Succeeded = (long)(rps * row.Run.Seconds),
            Latency = row.Run.Latency with { P50Ms = p99 / 3, P90Ms = p99 / 2, P99Ms = p99Figure ?? p99 },
            PerSecond = [.. seconds.Select(w => new SecondSample((long)(rps * w), p99 / 3 * w, p99 / 2 * w, p99 * w))],
        };
        return row with { Run = run };
    }

    private static ComparisonReport Comparison(params ComparisonRow[] rows) =>
        new(DateTimeOffset.UnixEpoch, new MachineInfo(2, "Linux", ".NET 10"), "telemetry", rows);

    private static MetricDelta Metric(BaselineComparison comparison, Scenario scenario, BaselineMetric metric) =>
        comparison.Rows.Single(r => r.Name == scenario.Name).Metrics.Single(m => m.Metric == metric);
}
