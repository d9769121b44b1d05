namespace LoadGenerator.Baselines;

/// <summary>One row of a run against the same row of its baseline; a row only one of them has carries no metrics, and says so.</summary>
public sealed record RowDelta(string Name, IReadOnlyList<MetricDelta> Metrics, string? Unmatched = null);
