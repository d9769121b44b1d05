using System.Globalization;
using System.Text.RegularExpressions;

namespace LoadGenerator.Baselines;

/// <summary>
/// A change a run may not make against its baseline (<c>--fail-if "p99>+10%"</c>, <c>--fail-if "rps&lt;-5%"</c>): the
/// metric, the direction, the limit in percent. A change past it counts when it is significant, or when no samples can say.
/// </summary>
public sealed partial record Threshold(BaselineMetric Metric, bool Above, double Percent)
{
    public const string Form = "METRIC>+N% or METRIC<-N%, METRIC one of rps, p50, p90, p99, cpu (such as p99>+10% or rps<-5%)";

    public static Threshold? Parse(string text)
    {
        var match = Expression().Match(text);
        return match.Success && BaselineMetrics.ByName.TryGetValue(match.Groups["metric"].Value.ToLowerInvariant(), out var metric)
            ? new Threshold(metric, match.Groups["direction"].Value == ">", double.Parse(match.Groups["percent"].Value, CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>Whether the delta goes past the limit and is not noise.</summary>
    public bool BreachedBy(MetricDelta delta) =>
        delta.Metric == Metric && (Above ? delta.ChangePercent > Percent : delta.ChangePercent < Percent) && delta.Significant is not false;

    public override string ToString() => $"{Metric.Name()}{(Above ? ">" : "<")}{Percent.ToString("+0.###;-0.###;0", CultureInfo.InvariantCulture)}%";

    [GeneratedRegex(@"^\s*(?<metric>[a-zA-Z0-9]+)\s*(?<direction>[<>])\s*(?<percent>[+-]?\d+(\.\d+)?)\s*%\s*$")]
    private static partial Regex Expression();
}
