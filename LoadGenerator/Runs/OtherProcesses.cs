namespace LoadGenerator.Runs;

/// <summary>One process (or several of one name) and its share of the CPU over a window, percent of one core.</summary>
public sealed record ProcessShare(string Name, double PercentOfCore);

/// <summary>
/// What every process outside a row's measurement (neither its chain nor the load generator) used of the CPU over the
/// window, and the largest of them by name: so a reader sees what shared the machine with the figures.
/// </summary>
public sealed record OtherProcesses(double PercentOfCore, IReadOnlyList<ProcessShare> Largest)
{
    /// <param name="measured">The processes the row measures (its chain's services, the load generator).</param>
    /// <param name="names">Names for processes known by id (the chains' services), else the command line tells.</param>
    public static OtherProcesses Between(IReadOnlyList<ProcessCpuTime> before, IReadOnlyList<ProcessCpuTime> after, double wallMs,
        IReadOnlySet<int> measured, IReadOnlyDictionary<int, string> names)
    {
        var used = Used(before, after, measured);
        var largest = used
            .GroupBy(p => names.TryGetValue(p.Process.Pid, out var name) ? name : ProcessTable.Describe(p.Process))
            .Select(g => new ProcessShare(g.Key, Math.Round(100 * g.Sum(p => p.Ms) / wallMs, 1)))
            .OrderByDescending(s => s.PercentOfCore)
            .Take(5)
            .ToList();
        return new OtherProcesses(100 * used.Sum(p => p.Ms) / wallMs, largest);
    }

    /// <summary>Their share alone, without naming them (which reads each one's command line): for the readings taken every second.</summary>
    public static double PercentOfCoreBetween(IReadOnlyList<ProcessCpuTime> before, IReadOnlyList<ProcessCpuTime> after, double wallMs, IReadOnlySet<int> measured) =>
        100 * Used(before, after, measured).Sum(p => p.Ms) / wallMs;

    private static List<(ProcessCpuTime Process, double Ms)> Used(IReadOnlyList<ProcessCpuTime> before, IReadOnlyList<ProcessCpuTime> after, IReadOnlySet<int> measured)
    {
        // A process is the same one only with the same start time; one that started in the window counts from zero.
        var earlier = before.ToDictionary(p => (p.Pid, p.StartTicks), p => p.CpuMs);
        return after.Where(p => !measured.Contains(p.Pid))
            .Select(p => (Process: p, Ms: p.CpuMs - earlier.GetValueOrDefault((p.Pid, p.StartTicks))))
            .Where(p => p.Ms > 0)
            .ToList();
    }
}
