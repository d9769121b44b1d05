namespace LoadGenerator;

/// <summary>
/// One step of a run whose rate changes (<see cref="LoadSchedule"/>): the requests due in it by their intended send time,
/// what became of them, and their latency.
/// </summary>
/// <param name="StartSecond">When the step began, in seconds into the measured window.</param>
/// <param name="Seconds">How long it lasted within the window (the last may be cut short by the run's end).</param>
/// <param name="Unsent">Requests due in the step that were never sent: every slot in flight was taken until the run's end.</param>
public sealed record RateStep(
    long Step,
    double StartSecond,
    double Seconds,
    double OfferedRate,
    long Sent,
    long Unsent,
    long Succeeded,
    IReadOnlyDictionary<string, long> Errors,
    LatencySummary Latency)
{
    public long Failed => Errors.Values.Sum();

    public double SentPerSecond => Seconds > 0 ? Sent / Seconds : 0;
}
