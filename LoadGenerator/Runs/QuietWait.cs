using System.Diagnostics;

namespace LoadGenerator.Runs;

/// <summary>How long a row waited, before it started, for the rest of the machine to fall quiet, and how busy it was when the row began.</summary>
public sealed record QuietWait(double Seconds, double OthersPercentOfCore, bool Quiet)
{
    /// <summary>Quiet: everything else together under 5% of the machine (10% of one core on two cores), over one second.</summary>
    public static double Threshold => 5.0 * Environment.ProcessorCount;

    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waits, one-second reading by one-second reading, until the processes outside the row (the dashboard still
    /// ingesting the previous row's telemetry, above all) use less than <see cref="Threshold"/>; never longer than <see cref="Longest"/>.
    /// </summary>
    public static async Task<QuietWait> ForAsync(IReadOnlySet<int> measured, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var before = ProcessTable.Read();
        var at = Stopwatch.GetTimestamp();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var now = ProcessTable.Read();
            var nowAt = Stopwatch.GetTimestamp();
            var others = OtherProcesses.PercentOfCoreBetween(before, now, Stopwatch.GetElapsedTime(at, nowAt).TotalMilliseconds, measured);
            if (others < Threshold || clock.Elapsed >= Longest) return new QuietWait(clock.Elapsed.TotalSeconds, others, others < Threshold);
            (before, at) = (now, nowAt);
        }
    }
}
