using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace LoadGenerator.Runs;

/// <summary>
/// The successes of a window second by second, by when each came back: a histogram per second, coarser than the run's
/// own (2 significant digits, a few KB each) since a second's p99 is a sample to test, not the figure reported.
/// </summary>
public sealed class PerSecondLatency(long startedAt)
{
    private static readonly long MaxMicroseconds = (long)TimeSpan.FromMinutes(1).TotalMicroseconds;

    private readonly ConcurrentDictionary<long, LongConcurrentHistogram> seconds = new();

    public void Record(long micros)
    {
        var second = (long)Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        seconds.GetOrAdd(second, _ => new LongConcurrentHistogram(1, MaxMicroseconds, 2)).RecordValue(Math.Clamp(micros, 1, MaxMicroseconds));
    }

    /// <summary>Every whole second of a window of <paramref name="windowSeconds"/>; the last, cut short, would read as a drop in throughput.</summary>
    public IReadOnlyList<SecondSample> Samples(double windowSeconds) =>
        Enumerable.Range(0, (int)Math.Floor(windowSeconds)).Select(s => seconds.TryGetValue(s, out var h)
            ? new SecondSample(h.TotalCount, Ms(h, 50), Ms(h, 90), Ms(h, 99))
            : new SecondSample(0, 0, 0, 0)).ToList();

    private static double Ms(HistogramBase histogram, double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;
}
