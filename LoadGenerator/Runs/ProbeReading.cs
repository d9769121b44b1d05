using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>
/// One reading of what a row charges CPU to: each service's <c>/stats</c>, the load generator's own process, and the
/// machine as a whole (every process and the kernel; null off Linux).
/// </summary>
public sealed record ProbeReading(IReadOnlyDictionary<string, ServiceStats> Services, LoadGeneratorProcess LoadGenerator, CpuTime? Machine)
{
    /// <summary>The load generator's name in reports, beside the services'.</summary>
    public const string LoadGeneratorName = "loadgen";

    /// <summary>The machine's name in reports: every process on it (the dashboard, DCP, the proxies too), what the chains' figures leave out.</summary>
    public const string MachineName = "machine";

    /// <summary>The CPU time so far of all that was read, by its name in reports: the services, then the load generator and the machine.</summary>
    public IReadOnlyDictionary<string, CpuTime> Cpu()
    {
        var cpu = Services.ToDictionary(s => s.Key, s => CpuTime.Of(s.Value));
        cpu[LoadGeneratorName] = LoadGenerator.Cpu;
        if (Machine is { } machine) cpu[MachineName] = machine;
        return cpu;
    }
}
