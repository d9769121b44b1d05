using System.Diagnostics;

namespace LoadGenerator.Runs;

/// <summary>
/// How long a row waited, before it started, for the rest of the machine to fall quiet, and how busy it was when the row
/// began: quiet (under <see cref="Threshold"/>), steady (busy, but no longer falling), or neither when the wait ran out.
/// </summary>
public sealed record QuietWait(double Seconds, double OthersPercentOfCore, bool Quiet, bool Steady = false)
{
    /// <summary>Quiet: everything else together under 5% of the machine (10% of one core on two cores), over one second.</summary>
    public static double Threshold => 5.0 * Environment.ProcessorCount;

    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    /// <summary>Readings compared to tell a background that is still falling from one that has settled: the last three against the three before.</summary>
    private const int Window = 3;

    /// <summary>How far (% of one core) the last readings must lie below the ones before for the rest of the machine to be still settling.</summary>
    private const double StillFalling = 1.0;

    /// <summary>
    /// Waits, one-second reading by one-second reading, until the processes outside the row (the dashboard still
    /// ingesting the previous row's telemetry, above all) use less than <see cref="Threshold"/>, or have stopped falling:
    /// a steady background (a browser on the dashboard, the machine's own daemons) does not go away by waiting, and a
    /// wait for it ran to <see cref="Longest"/> before every row. Never longer than <see cref="Longest"/>.
    /// </summary>
    public static async Task<QuietWait> ForAsync(IReadOnlySet<int> measured, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var readings = new List<double>();
        var before = ProcessTable.Read();
        var at = Stopwatch.GetTimestamp();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var now = ProcessTable.Read();
            var nowAt = Stopwatch.GetTimestamp();
            var others = OtherProcesses.PercentOfCoreBetween(before, now, Stopwatch.GetElapsedTime(at, nowAt).TotalMilliseconds, measured);
            readings.Add(others);
            var quiet = others < Threshold;
            var steady = !quiet && IsSteady(readings);
            if (quiet || steady || clock.Elapsed >= Longest) return new QuietWait(clock.Elapsed.TotalSeconds, others, quiet, steady);
            (before, at) = (now, nowAt);
        }
    }

    /// <summary>No longer falling: the last three readings average at least the three before them, give or take a point of a core.</summary>
    public static bool IsSteady(IReadOnlyList<double> readings) =>
        readings.Count >= 2 * Window && readings.TakeLast(Window).Average() >= readings.SkipLast(Window).TakeLast(Window).Average() - StillFalling;
}
