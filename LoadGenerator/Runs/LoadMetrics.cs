using System.Diagnostics.Metrics;
using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>What the load generator sees, for the dashboard's Metrics page: achieved requests per second and latency.</summary>
public static class LoadMetrics
{
    public const string MeterName = "LoadGenerator";

    internal static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("loadgen.requests", "{request}", "Requests answered, by outcome");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("loadgen.request.duration", "ms", "Latency of measured requests",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 5000] });
    private static long completed;

    static LoadMetrics()
    {
        var answered = new RateOf(() => Volatile.Read(ref completed));
        Meter.CreateObservableGauge("loadgen.requests.rate", answered.PerSecond, "{request}/s", "Requests answered per second");
    }

    public static void Record(double milliseconds, string? error)
    {
        Interlocked.Increment(ref completed);
        Requests.Add(1, new KeyValuePair<string, object?>("outcome", error ?? "ok"));
        Latency.Record(milliseconds);
    }
}
