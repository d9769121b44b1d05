namespace LoadGenerator.Baselines;

/// <summary>
/// What a row of a report is held against its baseline on: each metric's figure for the whole window, and its
/// per-second samples (null in reports written before they were kept). <see cref="Key"/> finds the same row across reports.
/// </summary>
public sealed record RowFigures(string Key, string Name, IReadOnlyDictionary<BaselineMetric, double> Values, IReadOnlyDictionary<BaselineMetric, IReadOnlyList<double>>? Samples)
{
    /// <summary>A single run, matched against another whatever it loaded (the baseline says which run it was), named by what it loads.</summary>
    public static RowFigures Of(RunResult run) => new("run", run.Scenario.Name, Figures(run), PerSecond(run));

    /// <summary>A row of a comparison, found by its scenario (<see cref="Cli.ScenarioIds"/>) and batch size, with its chain's CPU.</summary>
    public static RowFigures Of(ComparisonRow row)
    {
        var run = row.Run;
        var values = new Dictionary<BaselineMetric, double>(Figures(run)) { [BaselineMetric.Cpu] = row.ChainCpuMsPerRequest };
        var samples = PerSecond(run) is { } latency ? new Dictionary<BaselineMetric, IReadOnlyList<double>>(latency) { [BaselineMetric.Cpu] = CpuPerSecond(row) } : null;
        return new($"{Cli.ScenarioIds.Of(run.Scenario)} at {run.Settings.Size}", run.Name, values, samples);
    }

    private static Dictionary<BaselineMetric, double> Figures(RunResult run) => new()
    {
        [BaselineMetric.Rps] = run.RequestsPerSecond,
        [BaselineMetric.P50] = run.Latency.P50Ms,
        [BaselineMetric.P90] = run.Latency.P90Ms,
        [BaselineMetric.P99] = run.Latency.P99Ms,
    };

    /// <summary>Successes per second, and the latency of the seconds that had any.</summary>
    private static Dictionary<BaselineMetric, IReadOnlyList<double>>? PerSecond(RunResult run)
    {
        if (run.PerSecond is not { } seconds) return null;
        var answered = seconds.Where(s => s.Succeeded > 0).ToList();
        return new()
        {
            [BaselineMetric.Rps] = seconds.Select(s => (double)s.Succeeded).ToList(),
            [BaselineMetric.P50] = answered.Select(s => s.P50Ms).ToList(),
            [BaselineMetric.P90] = answered.Select(s => s.P90Ms).ToList(),
            [BaselineMetric.P99] = answered.Select(s => s.P99Ms).ToList(),
        };
    }

    /// <summary>
    /// The chain's CPU-ms per request second by second: its services' CPU in each second of the timeline (sampled from the
    /// window's start, one a second) over the successes of the same second.
    /// </summary>
    private static IReadOnlyList<double> CpuPerSecond(ComparisonRow row)
    {
        var services = row.Services.Select(s => s.Service).ToList();
        return row.CpuTimeline.Zip(row.Run.PerSecond!)
            .Where(pair => pair.Second.Succeeded > 0 && services.All(pair.First.PercentOfCore.ContainsKey))
            // % of one core over one second is that many tens of CPU-ms.
            .Select(pair => services.Sum(s => pair.First.PercentOfCore[s]) * 10 / pair.Second.Succeeded)
            .ToList();
    }
}
