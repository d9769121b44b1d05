using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>
/// Reads each service's <c>/stats</c> (what it served, and its CPU time as the operating system accounts it), the load
/// generator's own process, and the machine's busy time.
/// </summary>
public sealed class ServiceProbe(IReadOnlyDictionary<string, Uri> statsAddresses) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public IReadOnlyCollection<string> Services => statsAddresses.Keys.ToArray();

    public async Task<ProbeReading> ReadAsync(CancellationToken ct)
    {
        var reads = statsAddresses.Select(async pair =>
        {
            var stats = await http.GetFromJsonAsync(new Uri(pair.Value, "/stats"), StatsJsonContext.Default.ServiceStats, ct)
                ?? throw new InvalidOperationException($"{pair.Key} answered an empty /stats");
            return (pair.Key, stats);
        });
        var services = (await Task.WhenAll(reads)).ToDictionary(r => r.Key, r => r.stats);
        return new ProbeReading(services, LoadGeneratorProcess.Read(), MachineBusy());
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
