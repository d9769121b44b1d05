namespace LoadGenerator.Baselines;

/// <summary>A figure a run is held against its baseline on: throughput, latency percentiles, the chain's CPU per request.</summary>
public enum BaselineMetric { Rps, P50, P90, P99, Cpu }

public static class BaselineMetrics
{
    /// <summary>As <c>--fail-if</c> names them.</summary>
    public static readonly IReadOnlyDictionary<string, BaselineMetric> ByName = new Dictionary<string, BaselineMetric>
    {
        ["rps"] = BaselineMetric.Rps, ["p50"] = BaselineMetric.P50, ["p90"] = BaselineMetric.P90, ["p99"] = BaselineMetric.P99, ["cpu"] = BaselineMetric.Cpu,
    };

    public static string Name(this BaselineMetric metric) => ByName.Single(m => m.Value == metric).Key;

    /// <summary>How the figure reads in a table, with its unit.</summary>
    public static string Describe(this BaselineMetric metric) => metric switch
    {
        BaselineMetric.Rps => "req/s",
        BaselineMetric.Cpu => "chain CPU-ms/req",
        _ => $"{metric.Name()} ms",
    };
}
