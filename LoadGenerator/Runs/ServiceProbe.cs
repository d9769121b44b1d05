using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>
/// Reads each service's <c>/stats</c> (what it served, and its CPU time as the operating system accounts it), the load
/// generator's own process, and the machine's busy time. A service run as several replicas is read at each, and its
/// figures are their sum.
/// </summary>
public sealed class ServiceProbe(IReadOnlyDictionary<string, IReadOnlyList<Uri>> statsAddresses) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public IReadOnlyCollection<string> Services => statsAddresses.Keys.ToArray();

    public async Task<ProbeReading> ReadAsync(CancellationToken ct)
    {
        var reads = statsAddresses.Select(async pair =>
        {
            var replicas = await Task.WhenAll(pair.Value.Select(async address => new ReplicaReading(address,
                await http.GetFromJsonAsync(new Uri(address, "/stats"), StatsJsonContext.Default.ServiceStats, ct)
                    ?? throw new InvalidOperationException($"{pair.Key} at {address} answered an empty /stats"))));
            return (pair.Key, replicas);
        });
        var replicas = (await Task.WhenAll(reads)).ToDictionary(r => r.Key, r => (IReadOnlyList<ReplicaReading>)r.replicas);
        return new ProbeReading(replicas.ToDictionary(r => r.Key, r => ReplicaReading.Sum(r.Value)), LoadGeneratorProcess.Read(), MachineBusy())
        {
            Replicas = replicas,
        };
    }

    /// <summary>CPU time spent by all cores outside idle and I/O wait, from /proc/stat; null off Linux.</summary>
    private static CpuTime? MachineBusy()
    {
        if (!File.Exists("/proc/stat")) return null;
        using var stat = new StreamReader("/proc/stat");
        var ticks = stat.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        return new CpuTime(0, (ticks.Sum() - ticks[3] - ticks[4]) * ProcessTable.MsPerTick);
    }

    public void Dispose() => http.Dispose();
}
