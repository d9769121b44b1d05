using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>CPU time a process has used so far (user + system), with its id, so that a restart shows; the machine's has none.</summary>
public readonly record struct CpuTime(int ProcessId, double Ms)
{
    public static CpuTime Of(ServiceStats service) => new(service.ProcessId, service.CpuUserMs + service.CpuSystemMs);

    /// <summary>CPU time between two readings; a restarted process counts from zero.</summary>
    public static double Between(CpuTime before, CpuTime after) => after.Ms - (before.ProcessId == after.ProcessId ? before.Ms : 0);
}
