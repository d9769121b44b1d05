using System.Diagnostics;
using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>
/// A long run at a steady share of capacity on each chain (REST; gRPC unary over shared streams), sampling every
/// service's memory, connections, streams and requests in flight each second. A leak or a pile-up shows as growth
/// from the first fifth of the run to the last; errors show in the counts.
/// </summary>
public static class Soak
{
    /// <summary>
    /// A figure watched for growth, as a service reports it and, for memory, as the load generator reads its own; it may
    /// grow, first fifth to last, by 10% or <see cref="Floor"/>, whichever is more, before it counts as a trend.
    /// </summary>
    private sealed record Figure(string Name, Func<ServiceStats, double> OfService, Func<LoadGeneratorProcess, double>? OfLoadGenerator, double Floor);

    private static readonly Figure[] Figures =
    [
        new("working set MB", s => s.WorkingSetBytes / 1048576.0, l => l.WorkingSetBytes / 1048576.0, 16),
        new("GC heap MB", s => s.GcHeapBytes / 1048576.0, l => l.GcHeapBytes / 1048576.0, 16),
        new("connections", s => s.ConnectionsOpen, null, 2),
        new("streams", s => s.StreamsOpen, null, 2),
        new("in flight", s => s.InFlight, null, 10),
    ];

    public static async Task<SoakReport> RunAsync(SoakSettings soak, ChainAddresses addresses, IProgress<RunProgress>? progress, CancellationToken ct)
    {
        var startedAt = DateTimeOffset.Now;
        var chains = new List<SoakChain>();
        foreach (var scenario in new[] { Scenario.Rest, Scenario.GrpcShared })
        {
            chains.Add(await RunChainAsync(scenario, soak, addresses, progress, ct));
        }
        return new SoakReport(startedAt, ChainComparison.Machine(), soak, chains);
    }

    private static async Task<SoakChain> RunChainAsync(Scenario scenario, SoakSettings soak, ChainAddresses addresses, IProgress<RunProgress>? progress, CancellationToken ct)
    {
        var chain = scenario.Chain;
        var steady = scenario == Scenario.Rest
            ? new LoadSettings { Target = scenario.Target, Address = addresses.Rest, Connections = soak.Concurrency }
            : new LoadSettings { Target = scenario.Target, Address = addresses.Grpc, Connections = 1, StreamMode = scenario.StreamMode };
        steady = steady with { Concurrency = soak.Concurrency, Size = soak.Size, Seed = soak.Seed, Duration = soak.CapacityWindow, Warmup = TimeSpan.FromSeconds(3) };

        await using var target = Targets.LoadTargets.Create(steady);
        var capacity = (await LoadRun.RunAsync($"{chain} capacity", target, steady, progress, ct)).RequestsPerSecond;
        var rate = Math.Max(1, soak.Load * capacity);

        using var probe = new ServiceProbe(addresses.Stats.Where(s => s.Key.EndsWith("-" + chain)).ToDictionary());
        var samples = new List<SoakSample>();
        RunProgress? latest = null;
        var counting = new Progress<RunProgress>(p =>
        {
            latest = p;
            progress?.Report(p);
        });
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(probe, samples, () => latest, sampling.Token);
        var run = await LoadRun.RunAsync($"{chain} soak", target,
            steady with { Rate = rate, Duration = soak.Duration, Warmup = TimeSpan.Zero, Concurrency = 20 * soak.Concurrency }, counting, ct);
        await sampling.CancelAsync();
        await sampler;
        return new SoakChain(chain, capacity, rate, run, Trends(samples), samples);
    }

    private static async Task SampleAsync(ServiceProbe probe, List<SoakSample> samples, Func<RunProgress?> latest, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var reading = await probe.ReadAsync(ct);
                var seen = latest();
                samples.Add(new SoakSample(Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1), seen?.Completed ?? 0, seen?.Failed ?? 0,
                    reading.Services, reading.LoadGenerator));
            }
        }
        catch (OperationCanceledException)
        {
            // The soak ended.
        }
    }

    /// <summary>Each figure of each process, first fifth against last fifth (the first tenth left out: start-up, JIT, pools filling).</summary>
    public static IReadOnlyList<SoakTrend> Trends(IReadOnlyList<SoakSample> samples)
    {
        var settled = samples.Skip(samples.Count / 10).ToList();
        if (settled.Count < 5) return [];
        var fifth = settled.Count / 5;
        var trends = new List<SoakTrend>();
        foreach (var service in settled[0].Services.Keys)
        {
            foreach (var figure in Figures)
            {
                var points = settled.Where(s => s.Services.ContainsKey(service)).Select(s => (s.Second, figure.OfService(s.Services[service]))).ToList();
                if (Trend(service, figure, points, fifth) is { } trend) trends.Add(trend);
            }
        }
        foreach (var figure in Figures)
        {
            if (figure.OfLoadGenerator is not { } read) continue;
            var points = settled.Select(s => (s.Second, read(s.LoadGenerator))).ToList();
            if (Trend(ProbeReading.LoadGeneratorName, figure, points, fifth) is { } trend) trends.Add(trend);
        }
        return trends;
    }

    /// <summary>One figure of one process over the settled samples; none for a figure that stayed zero (one the process does not have).</summary>
    private static SoakTrend? Trend(string process, Figure figure, IReadOnlyList<(double Second, double Value)> points, int fifth)
    {
        if (points.All(p => p.Value == 0)) return null;
        var first = points.Take(fifth).Average(p => p.Value);
        var last = points.TakeLast(fifth).Average(p => p.Value);
        return new SoakTrend(process, figure.Name, first, last, points.Min(p => p.Value), points.Max(p => p.Value),
            Slope(points) * 60, last - first > Math.Max(0.1 * first, figure.Floor));
    }

    /// <summary>Least-squares slope, per second.</summary>
    private static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var spread = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        return spread == 0 ? 0 : points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / spread;
    }
}
