using Protos;

namespace ServiceDefaults.Hops;

/// <summary>The time one request has on a bidi hop: its caller's deadline or the hop's own timeout, whichever is sooner.</summary>
internal static class StreamBudget
{
    /// <summary>Time left for one request: the caller's deadline if it is sooner than the hop's own timeout.</summary>
    public static TimeSpan Of(DateTime? deadline, TimeSpan fallback)
    {
        if (deadline is not { } d || d == DateTime.MaxValue) return fallback;
        var left = d.ToUniversalTime() - DateTime.UtcNow;
        return left < fallback ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : fallback;
    }

    /// <summary>A budget as a message carries it (<see cref="IHopRequest.TimeoutMs"/>): whole milliseconds, at least one, as 0 means none.</summary>
    public static uint Milliseconds(TimeSpan budget) => (uint)Math.Clamp(Math.Ceiling(budget.TotalMilliseconds), 1, uint.MaxValue);

    /// <summary>
    /// The caller's cancellation fired because its deadline passed (give or take a timer's tick): a timeout to report as
    /// DeadlineExceeded, not the Cancelled the hop itself sees.
    /// </summary>
    public static bool CallerTimedOut(DateTime? deadline) =>
        deadline is { } d && d != DateTime.MaxValue && DateTime.UtcNow >= d.ToUniversalTime() - TimeSpan.FromMilliseconds(50);
}
