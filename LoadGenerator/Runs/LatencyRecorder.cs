using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace LoadGenerator.Runs;

/// <summary>
/// Answers as they come back: the latency of each success in an HdrHistogram (microseconds, 3 significant digits, up to
/// a minute), and failures counted by kind. A failure's latency is not a service time (a refused connection answers at
/// once), so, as ghz does, it stays out of the percentiles; the error count stands beside them.
/// </summary>
public sealed class LatencyRecorder
{
    private static readonly long MaxMicroseconds = (long)TimeSpan.FromMinutes(1).TotalMicroseconds;

    private readonly LongConcurrentHistogram histogram = new(1, MaxMicroseconds, 3);
    private readonly ConcurrentDictionary<string, long> errors = new();
    private long succeeded, failed;

    /// <summary>Whether answers also go to the dashboard's metrics; a second recorder of the same answers (a step's) leaves them out.</summary>
    public bool Metered { get; init; } = true;

    /// <summary>The successes second by second as well, from this moment on; null keeps only the whole window's.</summary>
    public PerSecondLatency? PerSecond { get; init; }

    public long Succeeded => Volatile.Read(ref succeeded);
    public long Failed => Volatile.Read(ref failed);
    public long Completed => Succeeded + Failed;

    /// <summary>Records one answer; latency runs from <paramref name="startedAt"/> (for an open loop, the intended send time).</summary>
    public void Record(long startedAt, string? error) => Record(Stopwatch.GetElapsedTime(startedAt), error);

    public void Record(TimeSpan latency, string? error)
    {
        var micros = (long)latency.TotalMicroseconds;
        if (Metered) LoadMetrics.Record(micros / 1000.0, error);
        if (error is null)
        {
            histogram.RecordValue(Math.Clamp(micros, 1, MaxMicroseconds));
            PerSecond?.Record(micros);
            Interlocked.Increment(ref succeeded);
        }
        else
        {
            Interlocked.Increment(ref failed);
            errors.AddOrUpdate(error, 1, (_, n) => n + 1);
        }
    }

    public IReadOnlyDictionary<string, long> Errors => new SortedDictionary<string, long>(errors);

    /// <summary>The whole distribution, for the report to keep (see <see cref="LatencyHistogram"/>); null when nothing succeeded.</summary>
    public string? EncodedHistogram() => histogram.TotalCount == 0 ? null : LatencyHistogram.Encode(histogram);

    public LatencySummary Summary()
    {
        if (histogram.TotalCount == 0) return new LatencySummary(0, 0, 0, 0, 0, 0);
        static double Ms(double micros) => micros / 1000.0;
        return new LatencySummary(
            Ms(histogram.GetMean()),
            Ms(histogram.GetValueAtPercentile(50)),
            Ms(histogram.GetValueAtPercentile(90)),
            Ms(histogram.GetValueAtPercentile(99)),
            Ms(histogram.GetValueAtPercentile(99.9)),
            Ms(histogram.GetMaxValue()));
    }
}
