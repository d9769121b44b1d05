using LoadGenerator.Runs;

namespace LoadGenerator;

/// <summary>
/// One replica of a service run as several, over a row's window: what it served and its share of the service's, and the
/// connections and streams open to it at the window's end (REST spreads per request over a pool of connections; gRPC's
/// calls and streams go where their HTTP/2 connection goes, unless the client balances).
/// </summary>
public sealed record ReplicaShare(string Service, Uri Address, long Served, double Share, long ConnectionsOpen, long StreamsOpen)
{
    /// <returns>Every replica of each of <paramref name="services"/> run as several; null when none is.</returns>
    public static IReadOnlyList<ReplicaShare>? Between(ProbeReading before, ProbeReading after, IEnumerable<string> services)
    {
        var shares = new List<ReplicaShare>();
        foreach (var service in services)
        {
            if (!after.Replicas.TryGetValue(service, out var replicas) || replicas.Count < 2) continue;
            var was = before.Replicas[service];
            var served = replicas.Select((r, i) => Gained.Between(was[i].Stats, r.Stats, s => s.Served)).ToArray();
            var total = Math.Max(1, served.Sum());
            shares.AddRange(replicas.Select((r, i) =>
                new ReplicaShare(service, r.Address, served[i], (double)served[i] / total, r.Stats.ConnectionsOpen, r.Stats.StreamsOpen)));
        }
        return shares.Count > 0 ? shares : null;
    }
}
