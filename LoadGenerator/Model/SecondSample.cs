namespace LoadGenerator;

/// <summary>
/// One whole second of a measured window: the successes answered in it and their latency. A run's seconds are the
/// samples a later run is tested against (<see cref="Baselines.MannWhitney"/>): one figure per run can't say whether a change is noise.
/// </summary>
public sealed record SecondSample(long Succeeded, double P50Ms, double P90Ms, double P99Ms);
