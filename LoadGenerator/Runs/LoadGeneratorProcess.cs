using System.Text.Json.Serialization;
using ServiceDefaults.Wire;

namespace LoadGenerator.Runs;

/// <summary>
/// The load generator's own process at one reading: its CPU time beside the services', the memory a soak watches, and
/// the bytes its load targets' connections carried (the edge hop, as its client counts it).
/// </summary>
public sealed record LoadGeneratorProcess(int ProcessId, double CpuUserMs, double CpuSystemMs, long WorkingSetBytes, long GcHeapBytes)
{
    [JsonIgnore]
    public CpuTime Cpu => new(ProcessId, CpuUserMs + CpuSystemMs);

    /// <summary>Bytes on the load targets' connections so far; the probe's own reads of /stats are not counted.</summary>
    public WireBytes ClientBytes { get; init; }

    public static LoadGeneratorProcess Read()
    {
        var cpu = Environment.CpuUsage;
        return new(Environment.ProcessId, cpu.UserTime.TotalMilliseconds, cpu.PrivilegedTime.TotalMilliseconds, Environment.WorkingSet, GC.GetTotalMemory(false))
        {
            ClientBytes = WireCounting.Client.Total(),
        };
    }
}
