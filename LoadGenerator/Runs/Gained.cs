using System.Numerics;
using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>What a service's counters gained between two of its /stats readings.</summary>
public static class Gained
{
    /// <summary>The counter's gain; a process restarted in between counts from zero.</summary>
    public static T Between<T>(ServiceStats before, ServiceStats after, Func<ServiceStats, T> counter)
        where T : struct, ISubtractionOperators<T, T, T> =>
        counter(after) - (before.ProcessId == after.ProcessId ? counter(before) : default);
}
