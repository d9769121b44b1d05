using System.Diagnostics;

namespace LoadGenerator.Runs;

/// <summary>
/// An open loop's send times: one every 1/rate seconds from the start, up to the run's end, each handed out when it is
/// due and never before. A late sender sends late (latency counts from the intended time); it never sends early.
/// </summary>
public sealed class SendSchedule
{
    private readonly long started;
    private readonly double interval;
    private readonly long? end;
    private long next;

    public SendSchedule(long started, double rate, long? requests, TimeSpan? duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        this.started = started;
        interval = Stopwatch.Frequency / rate;
        end = duration is { } d ? started + (long)(d.TotalSeconds * Stopwatch.Frequency) : null;
        // The sends whose intended time falls inside the run: i · interval < duration.
        var inDuration = duration is { } window ? (long)Math.Ceiling(window.TotalSeconds * rate) : long.MaxValue;
        Scheduled = Math.Min(requests ?? long.MaxValue, inDuration);
    }

    /// <summary>How many sends the run asks for.</summary>
    public long Scheduled { get; }

    /// <summary>The time the schedule spans: its sends at the rate asked.</summary>
    public TimeSpan Window => TimeSpan.FromSeconds(Scheduled * interval / Stopwatch.Frequency);

    /// <summary>Sends not yet handed out.</summary>
    public long Remaining => Scheduled - next;

    /// <summary>Time until the run's end, after which nothing more is sent; infinite for a run of <c>-n</c> requests.</summary>
    public TimeSpan LeftInRun =>
        end is { } e ? TimeSpan.FromTicks(Math.Max(0, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), e).Ticks)) : Timeout.InfiniteTimeSpan;

    /// <summary>Waits until the next send is due and returns its intended time (a Stopwatch timestamp); null when all are handed out.</summary>
    public async ValueTask<long?> NextAsync(CancellationToken ct)
    {
        if (next >= Scheduled) return null;
        var due = started + (long)(next++ * interval);
        // Timers fire on whole milliseconds, sometimes a little early: wait again until the time has really come.
        for (var now = Stopwatch.GetTimestamp(); now < due; now = Stopwatch.GetTimestamp())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(Stopwatch.GetElapsedTime(now, due).TotalMilliseconds)), ct);
        }
        return due;
    }
}
