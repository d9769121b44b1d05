using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>One replica of a service, as its <c>/stats</c> at <paramref name="Address"/> read.</summary>
public sealed record ReplicaReading(Uri Address, ServiceStats Stats)
{
    /// <summary>
    /// A service's replicas as one: every count, CPU time, byte and memory figure added up. Its process id stands for the
    /// set of processes (negative, so it is nobody's), so a replica restarted between two readings reads as a restart.
    /// </summary>
    public static ServiceStats Sum(IReadOnlyList<ReplicaReading> replicas)
    {
        if (replicas is [var one]) return one.Stats;
        var processes = new HashCode();
        foreach (var replica in replicas) processes.Add(replica.Stats.ProcessId);
        long Total(Func<ServiceStats, long> figure) => replicas.Sum(r => figure(r.Stats));
        double Time(Func<ServiceStats, double> figure) => replicas.Sum(r => figure(r.Stats));
        return new ServiceStats(processes.ToHashCode() | int.MinValue, string.Join(", ", replicas.Select(r => r.Stats.Telemetry).Distinct()),
            Total(s => s.Served), Total(s => s.Failed), Total(s => s.MessagesIn), Total(s => s.MessagesOut),
            Total(s => s.StreamsOpened), Total(s => s.StreamsOpen), Time(s => s.CpuUserMs), Time(s => s.CpuSystemMs),
            Total(s => s.InFlight), Total(s => s.ConnectionsOpen), Total(s => s.WorkingSetBytes), Total(s => s.GcHeapBytes), Total(s => s.NoopsServed))
        {
            ServerBytes = new(Total(s => s.ServerBytes.Read), Total(s => s.ServerBytes.Written)),
            ClientBytes = new(Total(s => s.ClientBytes.Read), Total(s => s.ClientBytes.Written)),
            HeldBytes = Total(s => s.HeldBytes),
        };
    }
}
