using System.Diagnostics;

namespace LoadGenerator.Runs;

/// <summary>
/// An open loop's send times: at a fixed rate, one every 1/rate seconds from the start, or at a rate that changes step by
/// step (<see cref="LoadSchedule"/>), up to the run's end; each handed out when it is due and never before. A late sender
/// sends late (latency counts from the intended time); it never sends early.
/// </summary>
public sealed class SendSchedule
{
    private readonly long started;
    private readonly LoadSchedule rates;
    private readonly long? end;
    private long next;
    // The step of the last send handed out, and the sends due before that step began (summed as LoadSchedule.SendsBefore sums them).
    private long step;
    private double sendsBeforeStep;

    public SendSchedule(long started, double rate, long? requests, TimeSpan? duration)
        : this(started, LoadSchedule.Constant(rate), requests, duration)
    {
    }

    public SendSchedule(long started, LoadSchedule rates, long? requests, TimeSpan? duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rates.LowestRate, nameof(rates));
        this.started = started;
        this.rates = rates;
        end = duration is { } d ? started + (long)(d.TotalSeconds * Stopwatch.Frequency) : null;
        // The sends whose intended time falls inside the run: those numbered below the sends due by its end.
        var inDuration = duration is { } window ? (long)Math.Ceiling(rates.SendsBy(window)) : long.MaxValue;
        Scheduled = Math.Min(requests ?? long.MaxValue, inDuration);
    }

    /// <summary>How many sends the run asks for.</summary>
    public long Scheduled { get; }

    /// <summary>The time the schedule spans: until the send after its last would be due.</summary>
    public TimeSpan Window
    {
        get
        {
            var (fromStep, sendsBefore) = (0L, 0.0);
            return TimeSpan.FromSeconds(SecondsOf(Scheduled, ref fromStep, ref sendsBefore));
        }
    }

    /// <summary>Sends not yet handed out.</summary>
    public long Remaining => Scheduled - next;

    /// <summary>The step of the send last handed out.</summary>
    public long Step => step;

    /// <summary>Sends of step <paramref name="of"/> the run asks for: those due in it, short of the run's end.</summary>
    public long ScheduledIn(long of)
    {
        long DueBefore(long k) => Math.Min((long)Math.Ceiling(rates.SendsBefore(k)), Scheduled);
        return DueBefore(of + 1) - DueBefore(of);
    }

    /// <summary>Time until the run's end, after which nothing more is sent; infinite for a run of <c>-n</c> requests.</summary>
    public TimeSpan LeftInRun =>
        end is { } e ? TimeSpan.FromTicks(Math.Max(0, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), e).Ticks)) : Timeout.InfiniteTimeSpan;

    /// <summary>Waits until the next send is due and returns its intended time (a Stopwatch timestamp); null when all are handed out.</summary>
    public async ValueTask<long?> NextAsync(CancellationToken ct)
    {
        if (next >= Scheduled) return null;
        var due = started + (long)(SecondsOf(next++, ref step, ref sendsBeforeStep) * Stopwatch.Frequency);
        // Timers fire on whole milliseconds, sometimes a little early: wait again until the time has really come.
        for (var now = Stopwatch.GetTimestamp(); now < due; now = Stopwatch.GetTimestamp())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(Stopwatch.GetElapsedTime(now, due).TotalMilliseconds)), ct);
        }
        return due;
    }

    /// <summary>
    /// When send number <paramref name="send"/> is due, in seconds from the start, searching on from <paramref name="fromStep"/>
    /// (with the sends due before it) and leaving both at the send's step: sends are handed out in order, so each step is passed once.
    /// </summary>
    private double SecondsOf(long send, ref long fromStep, ref double sendsBefore)
    {
        var stepSeconds = rates.StepDuration.TotalSeconds;
        // A send past the step's share belongs to a later step; a constant rate has one step, never passed.
        while (send >= sendsBefore + rates.RateOfStep(fromStep) * stepSeconds)
        {
            sendsBefore += rates.RateOfStep(fromStep) * stepSeconds;
            fromStep++;
        }
        var stepStarts = fromStep == 0 ? 0 : (rates.StepDuration * fromStep).TotalSeconds;
        return stepStarts + (send - sendsBefore) / rates.RateOfStep(fromStep);
    }
}
