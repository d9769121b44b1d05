using System.Diagnostics;
using System.Globalization;
using OpenTelemetry.Trace;

namespace ServiceDefaults;

/// <summary>
/// Which requests a service traces, set by the AppHost on every service alike (<c>Chain:TraceSampling</c>): a number of
/// new traces a second (<c>5/s</c>, the lab's default), a share of requests (<c>0.01</c>), all (<c>1</c>) or none
/// (<c>0</c>). A trace is decided where it starts, at the chain's edge, and the services down the chain follow that decision.
/// </summary>
/// <remarks>
/// Aspire traces every request in Development. Under load the dashboard then stores tens of thousands of spans a second
/// and falls minutes behind, using up to a core of the machine the runs measure (issue #11). A cap a second keeps its cost
/// flat at any throughput, and still traces every request of someone trying the chain by hand.
/// </remarks>
public sealed record TraceSampling(double? PerSecond, double? Ratio)
{
    public const string Key = "Chain:TraceSampling";

    public static TraceSampling? From(string? setting) => setting switch
    {
        null or "" => null,
        _ when setting.EndsWith("/s", StringComparison.Ordinal) && Number(setting[..^2]) is { } perSecond => new(perSecond, null),
        _ when Number(setting) is { } ratio && ratio <= 1 => new(null, ratio),
        _ => throw new FormatException($"{Key} must be traces a second such as 10/s, or a share of requests from 0 to 1, got '{setting}'"),
    };

    public Sampler Sampler => new ParentBasedSampler(PerSecond is { } perSecond
        ? new TracesPerSecondSampler(perSecond)
        : new TraceIdRatioBasedSampler(Ratio!.Value));

    public string Describe() => PerSecond is { } perSecond
        ? $"at most {perSecond.ToString("0.##", CultureInfo.InvariantCulture)} new traces a second per service, followed down the chain"
        : Ratio is 1 ? "every request traced" : $"{(100 * Ratio!.Value).ToString("0.###", CultureInfo.InvariantCulture)}% of requests traced";

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value) ? value : null;
}

/// <summary>Samples a new trace only if none was in the last 1/N seconds: at most N a second, every one when requests are rare.</summary>
public sealed class TracesPerSecondSampler(double perSecond) : Sampler
{
    private readonly long interval = perSecond > 0 ? (long)(Stopwatch.Frequency / perSecond) : long.MaxValue;
    private long nextAllowed = long.MinValue;

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (interval == long.MaxValue) return new SamplingResult(SamplingDecision.Drop);
        var now = Stopwatch.GetTimestamp();
        var next = Volatile.Read(ref nextAllowed);
        // Under load almost every request stops at the read; one wins the exchange per interval.
        return now >= next && Interlocked.CompareExchange(ref nextAllowed, now + interval, next) == next
            ? new SamplingResult(SamplingDecision.RecordAndSample)
            : new SamplingResult(SamplingDecision.Drop);
    }
}
