using ServiceDefaults;
using ServiceDefaults.Wire;

namespace LoadGenerator.Runs;

/// <summary>
/// What a row put on the wire, hop by hop down its chain: the load generator calls the aggregator, which calls the
/// processor, which calls the producer. A hop's bytes are what its client counted between the readings before and
/// after the window, per request that succeeded; its server's count stands beside them as a cross-check.
/// </summary>
public static class WireHops
{
    /// <summary>The roles in calling order (as the AppHost wires them); a service is named "{role}-{chain}".</summary>
    private static readonly string[] Roles = ["aggregator", "processor", "producer"];

    /// <param name="services">The row's measured services: a chain's three, or a ceiling's edge alone (one hop).</param>
    /// <returns>The hops from the edge down, as far as the row's services go; null when no request succeeded.</returns>
    public static IReadOnlyList<HopBytes>? Between(ProbeReading before, ProbeReading after, IReadOnlyCollection<string> services, long succeeded)
    {
        if (succeeded <= 0) return null;
        double PerRequest(long bytes) => bytes / (double)succeeded;
        var hops = new List<HopBytes>();
        var (caller, client) = ("load generator", after.LoadGenerator.ClientBytes - before.LoadGenerator.ClientBytes);
        foreach (var role in Roles)
        {
            if (services.FirstOrDefault(s => s.StartsWith(role + "-", StringComparison.Ordinal)) is not { } service) break;
            var (was, now) = (before.Services[service], after.Services[service]);
            var server = Gained.Between(was, now, s => s.ServerBytes);
            hops.Add(new HopBytes($"{caller} → {role}", PerRequest(client.Written), PerRequest(client.Read),
                PerRequest(server.Read), PerRequest(server.Written)));
            (caller, client) = (role, Gained.Between(was, now, s => s.ClientBytes));
        }
        return hops;
    }
}
