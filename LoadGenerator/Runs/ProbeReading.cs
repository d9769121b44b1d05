using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>
/// One reading of what a row charges CPU to: each service's <c>/stats</c>, the load generator's own process, and the
/// machine as a whole (every process and the kernel; null off Linux).
/// </summary>
/// <param name="Services">Each service's stats, a service run as several replicas their sum.</param>
public sealed record ProbeReading(IReadOnlyDictionary<string, ServiceStats> Services, LoadGeneratorProcess LoadGenerator, CpuTime? Machine)
{
    /// <summary>Each service's replicas, one each unless it runs as several; empty when read otherwise than by <see cref="ServiceProbe"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ReplicaReading>> Replicas { get; init; } = new Dictionary<string, IReadOnlyList<ReplicaReading>>();

    /// <summary>The processes of <paramref name="service"/>: each replica's.</summary>
    public IEnumerable<int> ProcessIds(string service) =>
        Replicas.TryGetValue(service, out var replicas) ? replicas.Select(r => r.Stats.ProcessId) : [Services[service].ProcessId];

    /// <summary>The processes a row charges: <paramref name="services"/>' (every replica's) and the load generator's.</summary>
    public IReadOnlySet<int> Measured(IEnumerable<string> services) => services.SelectMany(ProcessIds).Append(Environment.ProcessId).ToHashSet();

    /// <summary>Every service's processes by id, a replica's under its service's name.</summary>
    public IReadOnlyDictionary<int, string> Names() =>
        Services.Keys.SelectMany(service => ProcessIds(service).Where(id => id > 0).Select(id => (id, service))).ToDictionary(p => p.id, p => p.service);

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
