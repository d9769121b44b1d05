using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>A soak of both chains, one after the other; it passes when each held its rate without growth or errors.</summary>
public sealed record SoakReport(DateTimeOffset StartedAt, MachineInfo Machine, SoakSettings Settings, IReadOnlyList<SoakChain> Chains) : LabelledReport
{
    public bool Passed => Chains.All(c => c.Passed);
}

/// <summary>One chain's soak: its measured capacity, the rate it was held at, the run, what grew, and every sample.</summary>
public sealed record SoakChain(string Chain, double Capacity, double Rate, RunResult Run, IReadOnlyList<SoakTrend> Trends, IReadOnlyList<SoakSample> Samples)
{
    /// <summary>The schedule was kept: requests went out at 95% of the rate asked or more (what was never sent counts against it).</summary>
    public bool HeldTheRate => Run.SentPerSecond >= 0.95 * Rate;

    public bool Passed => Run.Failed == 0 && HeldTheRate && Trends.All(t => !t.Grows);
}

/// <summary>One figure of one process over a soak: its mean in the first and the last fifth, and whether it grew.</summary>
public sealed record SoakTrend(string Service, string Figure, double First, double Last, double Min, double Max, double SlopePerMinute, bool Grows);

/// <summary>Every service's figures and the load generator's own at one second of a soak, and what the load generator had seen by then.</summary>
public sealed record SoakSample(double Second, long Completed, long Failed, IReadOnlyDictionary<string, ServiceStats> Services, LoadGeneratorProcess LoadGenerator);
