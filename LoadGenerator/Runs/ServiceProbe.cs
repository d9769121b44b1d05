using System.Diagnostics;
using System.Net.Http.Json;
using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>Reads each service's <c>/stats</c>: what it served, and its CPU time as the operating system accounts it.</summary>
public sealed class ServiceProbe(IReadOnlyDictionary<string, Uri> statsAddresses) : IDisposable
{
    /// <summary>The load generator's own process, sampled beside the services.</summary>
    public const string Self = "loadgen";

    /// <summary>Every process on the machine (the dashboard, DCP, the proxies too): what the chains' figures leave out.</summary>
    public const string Machine = "machine";

    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public IReadOnlyCollection<string> Services => statsAddresses.Keys.ToArray();

    public async Task<IReadOnlyDictionary<string, ServiceStats>> ReadAllAsync(CancellationToken ct)
    {
        var reads = statsAddresses.Select(async pair =>
        {
            var stats = await http.GetFromJsonAsync(new Uri(pair.Value, "/stats"), StatsJsonContext.Default.ServiceStats, ct)
                ?? throw new InvalidOperationException($"{pair.Key} answered an empty /stats");
            return (pair.Key, stats);
        });
        var all = (await Task.WhenAll(reads)).ToDictionary(r => r.Key, r => r.stats);
        var self = Environment.CpuUsage;
        all[Self] = new ServiceStats(Environment.ProcessId, "", 0, 0, 0, 0, 0, 0, self.UserTime.TotalMilliseconds, self.PrivilegedTime.TotalMilliseconds,
            0, 0, Environment.WorkingSet, GC.GetTotalMemory(false), 0);
        if (MachineBusyMs() is { } busy) all[Machine] = new ServiceStats(0, "", 0, 0, 0, 0, 0, 0, busy, 0, 0, 0, 0, 0, 0);
        return all;
    }

    /// <summary>CPU time spent by all cores outside idle and I/O wait, from /proc/stat (in clock ticks of 10 ms); null off Linux.</summary>
    private static double? MachineBusyMs()
    {
        if (!File.Exists("/proc/stat")) return null;
        using var stat = new StreamReader("/proc/stat");
        var ticks = stat.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        return (ticks.Sum() - ticks[3] - ticks[4]) * 10.0;
    }

    public void Dispose() => http.Dispose();
}

/// <summary>
/// Samples every service's CPU once a second during a measured window, and everything outside the row's measurement
/// together as "others": the CPU % over time of the report.
/// </summary>
public sealed class CpuTimeline : IAsyncDisposable
{
    public const string Others = "others";

    private readonly ServiceProbe probe;
    private readonly IReadOnlySet<int> measured;
    private readonly IReadOnlyDictionary<int, string> names;
    private readonly List<CpuPoint> points = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;

    public CpuTimeline(ServiceProbe probe, IReadOnlyDictionary<string, ServiceStats> start, IReadOnlySet<int> measured, IReadOnlyDictionary<int, string> names)
    {
        (this.probe, this.measured, this.names) = (probe, measured, names);
        sampling = SampleAsync(start, ProcessTable.Read());
    }

    public async Task<IReadOnlyList<CpuPoint>> StopAsync()
    {
        await stop.CancelAsync();
        await sampling;
        return points;
    }

    private async Task SampleAsync(IReadOnlyDictionary<string, ServiceStats> previous, IReadOnlyList<ProcessCpuTime> previousProcesses)
    {
        var started = Stopwatch.GetTimestamp();
        var previousAt = started;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var current = await probe.ReadAllAsync(stop.Token);
                var processes = ProcessTable.Read();
                var now = Stopwatch.GetTimestamp();
                var wallMs = Stopwatch.GetElapsedTime(previousAt, now).TotalMilliseconds;
                var percent = current.ToDictionary(s => s.Key, s => Math.Round(100 * CpuMs(previous[s.Key], s.Value) / wallMs, 1));
                if (processes.Count > 0) percent[Others] = Math.Round(OtherProcesses.Between(previousProcesses, processes, wallMs, measured, names).PercentOfCore, 1);
                points.Add(new CpuPoint(Math.Round(Stopwatch.GetElapsedTime(started, now).TotalSeconds, 2), percent));
                (previous, previousProcesses, previousAt) = (current, processes, now);
            }
        }
        catch (OperationCanceledException)
        {
            // The window ended.
        }
    }

    /// <summary>CPU time between two readings; a restarted process counts from zero.</summary>
    public static double CpuMs(ServiceStats before, ServiceStats after) =>
        after.CpuUserMs + after.CpuSystemMs - (before.ProcessId == after.ProcessId ? before.CpuUserMs + before.CpuSystemMs : 0);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }
}
