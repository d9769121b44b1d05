namespace LoadGenerator;

/// <summary>Latency percentiles of a run's successful requests, in milliseconds.</summary>
public sealed record LatencySummary(double MeanMs, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs);
