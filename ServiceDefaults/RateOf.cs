using System.Diagnostics;

namespace ServiceDefaults;

/// <summary>Turns a cumulative reading (a count, CPU time) into a rate per second since it was last read.</summary>
public sealed class RateOf(Func<double> read)
{
    private readonly Lock gate = new();
    private double last = read();
    private long lastTicks = Stopwatch.GetTimestamp();

    public double PerSecond()
    {
        lock (gate)
        {
            var now = Stopwatch.GetTimestamp();
            var value = read();
            var seconds = Stopwatch.GetElapsedTime(lastTicks, now).TotalSeconds;
            var rate = seconds > 0 ? (value - last) / seconds : 0;
            (last, lastTicks) = (value, now);
            return rate;
        }
    }
}
