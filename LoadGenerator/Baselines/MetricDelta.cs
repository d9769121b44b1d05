using System.Globalization;

namespace LoadGenerator.Baselines;

/// <summary>
/// One figure of one row against its baseline: both values, the change, and whether per-second samples say it is more
/// than noise (<see cref="MannWhitney"/>); <see cref="Significant"/> is null when they can't say, <see cref="Unknown"/> why.
/// </summary>
public sealed record MetricDelta(BaselineMetric Metric, double Baseline, double Current, double? PValue, string? Unknown)
{
    public double ChangePercent => Baseline != 0 ? 100 * (Current - Baseline) / Baseline : Current == 0 ? 0 : double.PositiveInfinity;

    public bool? Significant => PValue is { } p ? p < MannWhitney.Alpha : null;

    public string Significance => PValue is { } p
        ? $"{(p < MannWhitney.Alpha ? "significant" : "not significant")} (p = {p.ToString(p < 0.001 ? "0.0e0" : "0.000", CultureInfo.InvariantCulture)})"
        : Unknown!;

    /// <summary>Tests the change on per-second samples, if both runs have enough.</summary>
    public static MetricDelta Of(BaselineMetric metric, double baseline, double current, IReadOnlyList<double>? baselineSamples, IReadOnlyList<double>? currentSamples) =>
        (baselineSamples, currentSamples) switch
        {
            (null, _) or (_, null) => new(metric, baseline, current, null, "no samples: significance unknown"),
            ({ Count: < MannWhitney.FewestSamples }, _) or (_, { Count: < MannWhitney.FewestSamples }) =>
                new(metric, baseline, current, null, $"{Math.Min(baselineSamples.Count, currentSamples.Count)} s of samples: too few, significance unknown"),
            _ => new(metric, baseline, current, MannWhitney.PValue(baselineSamples, currentSamples), null),
        };
}
