namespace LoadGenerator.Runs;

/// <summary>Where a run is, for a progress line or the dashboard.</summary>
public sealed record RunProgress(string Phase, long Completed, long? Total, double Seconds, double? TotalSeconds, double CurrentRate, long Failed);
