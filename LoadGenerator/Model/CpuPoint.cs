namespace LoadGenerator;

/// <summary>CPU of each sampled process over one second of the window, percent of one core.</summary>
public sealed record CpuPoint(double Second, IReadOnlyDictionary<string, double> PercentOfCore);
