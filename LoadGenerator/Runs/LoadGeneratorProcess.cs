using System.Text.Json.Serialization;

namespace LoadGenerator.Runs;

/// <summary>The load generator's own process at one reading: its CPU time beside the services', and the memory a soak watches.</summary>
public sealed record LoadGeneratorProcess(int ProcessId, double CpuUserMs, double CpuSystemMs, long WorkingSetBytes, long GcHeapBytes)
{
    [JsonIgnore]
    public CpuTime Cpu => new(ProcessId, CpuUserMs + CpuSystemMs);

    public static LoadGeneratorProcess Read()
    {
        var cpu = Environment.CpuUsage;
        return new(Environment.ProcessId, cpu.UserTime.TotalMilliseconds, cpu.PrivilegedTime.TotalMilliseconds, Environment.WorkingSet, GC.GetTotalMemory(false));
    }
}
