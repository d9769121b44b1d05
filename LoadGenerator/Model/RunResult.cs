using System.Text.Json.Serialization;

namespace LoadGenerator;

/// <summary>
/// What the load generator saw of one measured window. <see cref="Sent"/> is counted where requests are handed to the
/// target, the outcomes where answers come back: every request sent is one or the other, or the counts say otherwise.
/// </summary>
/// <param name="Seconds">The measured window: from its start until the last answer came back.</param>
/// <param name="SendingSeconds">How long sending lasted: a closed loop's time until its last send; an open loop's schedule (its requests at the rate asked).</param>
public sealed record RunResult(
    string Name,
    LoadSettings Settings,
    string ConnectionShape,
    long Sent,
    long Succeeded,
    IReadOnlyDictionary<string, long> Errors,
    long Unsent,
    double Seconds,
    double SendingSeconds,
    LatencySummary Latency)
{
    /// <summary>The successes' whole latency histogram (microseconds), encoded by <see cref="Runs.LatencyHistogram"/>; null with no successes, and in reports written before it was kept.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LatencyHistogram { get; init; }

    public long Failed => Errors.Values.Sum();

    /// <summary>Goodput: successful answers per second. Failures are counted beside it, never in it.</summary>
    public double RequestsPerSecond => Seconds > 0 ? Succeeded / Seconds : 0;

    /// <summary>Requests sent per second of sending: in an open loop the rate really offered, the one asked less what was never sent.</summary>
    public double SentPerSecond => SendingSeconds > 0 ? Sent / SendingSeconds : 0;

    /// <summary>A run whose rate changed (<see cref="LoadSettings.Schedule"/>): each step's requests by intended send time; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RateStep>? Steps { get; init; }

    /// <summary>
    /// Each whole second of the window, in order: successes and their latency, the samples <c>--baseline</c> tests a change
    /// on; null in reports written before they were kept.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SecondSample>? PerSecond { get; init; }

    /// <summary>What the run measured: how rows are found, in this report and across reports (not written to the JSON, it is its settings).</summary>
    [JsonIgnore]
    public Scenario Scenario => Scenario.Of(Settings);
}
