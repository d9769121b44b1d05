using System.Diagnostics;
using System.Diagnostics.Metrics;
using LoadGenerator.Runs;

namespace LoadGenerator.Serve;

/// <summary>
/// Both chains in one Metrics chart. A service's own <c>chain.process.cpu</c> is a chart of that resource alone, so comparing
/// the chains meant switching resources; the load generator sees them all. While a run goes it reads every service's
/// <c>/stats</c> once a second and publishes, on its meter, each chain's CPU (% of one core, its three services summed) and
/// requests per second (what its edge served), and each service's CPU, with the chain and the service as attributes.
/// Aspire's chart draws one line, the attribute values its filters select added up: a chain is picked there.
/// Between runs it reads nothing and publishes nothing: the lines stop where the load did.
/// </summary>
public sealed class ChainWatch : IAsyncDisposable
{
    public const string ChainCpu = "loadgen.chain.cpu";
    public const string ServiceCpu = "loadgen.chain.service.cpu";
    public const string ChainRate = "loadgen.chain.requests.rate";

    private static volatile IReadOnlyList<ServiceReading> latest = [];
    private static long readings;

    /// <summary>
    /// How many readings have been published. The three gauges are collected one after another, each from the reading
    /// published at that moment; a collection during which this changed took them from two readings.
    /// </summary>
    public static long Readings => Interlocked.Read(ref readings);

    static ChainWatch()
    {
        LoadMetrics.Meter.CreateObservableGauge(ChainCpu, () => latest.GroupBy(r => r.Chain).Select(c =>
            new Measurement<double>(c.Sum(r => r.CpuPercent), Tag("chain", c.Key))), "%", "CPU of each chain's three services, % of one core, while a run goes");
        LoadMetrics.Meter.CreateObservableGauge(ServiceCpu, () => latest.Select(r =>
            new Measurement<double>(r.CpuPercent, Tag("chain", r.Chain), Tag("service", r.Service))), "%", "CPU of each service, % of one core, while a run goes");
        LoadMetrics.Meter.CreateObservableGauge(ChainRate, () => latest.Where(r => r.Service.StartsWith("aggregator-", StringComparison.Ordinal)).Select(r =>
            new Measurement<double>(r.ServedPerSecond, Tag("chain", r.Chain))), "{request}/s", "Requests each chain's edge served per second, while a run goes");
    }

    private readonly CancellationTokenSource stop = new();
    private readonly Task watching;

    private ChainWatch(IReadOnlyDictionary<string, IReadOnlyList<Uri>> stats) => watching = WatchAsync(new ServiceProbe(stats), stop.Token);

    /// <summary>Watches the services at <paramref name="stats"/> (name → every replica's <c>/stats</c> address) until disposed.</summary>
    public static ChainWatch Start(IReadOnlyDictionary<string, IReadOnlyList<Uri>> stats) => new(stats);

    private static async Task WatchAsync(ServiceProbe probe, CancellationToken ct)
    {
        using var _ = probe;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        (ProbeReading Reading, long At)? previous = null;
        try
        {
            do
            {
                // A service restarted or slow to answer misses a second; the watch goes on.
                if (await TryReadAsync(probe, ct) is not { } current) continue;
                var now = Stopwatch.GetTimestamp();
                if (previous is var (before, at))
                {
                    var seconds = Stopwatch.GetElapsedTime(at, now).TotalSeconds;
                    latest = current.Services.Select(s => ServiceReading.Between(s.Key, before.Services[s.Key], s.Value, seconds)).ToArray();
                    Interlocked.Increment(ref readings);
                }
                previous = (current, now);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
        finally
        {
            latest = [];
        }
    }

    private static async Task<ProbeReading?> TryReadAsync(ServiceProbe probe, CancellationToken ct)
    {
        try
        {
            return await probe.ReadAsync(ct);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await watching;
        stop.Dispose();
    }
}
