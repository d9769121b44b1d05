using LoadGenerator.Targets;
using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>Where the two chains are: their edges, and every service's <c>/stats</c>.</summary>
public sealed record ChainAddresses(Uri Rest, Uri Grpc, IReadOnlyDictionary<string, Uri> Stats)
{
    /// <summary>The AppHost's fixed ports on this machine.</summary>
    public static ChainAddresses Local(string host = "localhost") => new(
        new Uri($"http://{host}:8002/aggregate"),
        new Uri($"http://{host}:50053"),
        new Dictionary<string, Uri>
        {
            ["aggregator-rest"] = new($"http://{host}:8002"),
            ["processor-rest"] = new($"http://{host}:8001"),
            ["producer-rest"] = new($"http://{host}:8000"),
            ["aggregator-grpc"] = new($"http://{host}:8053"),
            ["processor-grpc"] = new($"http://{host}:8052"),
            ["producer-grpc"] = new($"http://{host}:8051"),
        });
}

/// <summary>The settings shared by every row of a comparison.</summary>
public sealed record CompareSettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public int Concurrency { get; init; } = 50;
    public double? Rate { get; init; }
    public IReadOnlyList<int> Sizes { get; init; } = [10];
    public long Seed { get; init; } = 42;
}

/// <summary>
/// REST against gRPC, same settings, one after another: each transport's no-op single hop (the ceiling), REST with
/// keep-alive, gRPC unary with a stream per request and with shared streams between the services, and the gRPC
/// streaming edge. For each: throughput and latency from the load generator, CPU per service from the operating
/// system, and the counts reconciled.
/// </summary>
public static class ChainComparison
{
    public const string RestChain = "rest";
    public const string GrpcChain = "grpc";

    public const string RestCeiling = "REST ceiling: one no-op hop";
    public const string GrpcCeiling = "gRPC ceiling: one no-op unary hop";

    public static IEnumerable<(string Chain, LoadSettings Settings, string Name)> Plan(CompareSettings compare, ChainAddresses chains)
    {
        // The ceilings first: each transport's single no-op hop, same load generator, same connection shapes as the chains.
        var noop = new LoadSettings
        {
            Target = TargetKind.RestNoop, Address = chains.Rest, Duration = compare.Duration, Warmup = compare.Warmup,
            Concurrency = compare.Concurrency, Rate = compare.Rate, Connections = compare.Concurrency,
        };
        yield return (RestChain, noop, RestCeiling);
        yield return (GrpcChain, noop with { Target = TargetKind.GrpcNoop, Address = chains.Grpc, Connections = 1 }, GrpcCeiling);
        foreach (var size in compare.Sizes)
        {
            var suffix = compare.Sizes.Count > 1 ? $", {size:N0} records" : "";
            var common = new LoadSettings
            {
                Target = TargetKind.Rest, Address = chains.Rest, Duration = compare.Duration, Warmup = compare.Warmup,
                Concurrency = compare.Concurrency, Rate = compare.Rate, Seed = compare.Seed, Size = size,
            };
            yield return (RestChain, common with { Connections = compare.Concurrency }, "REST" + suffix);
            var grpc = common with { Target = TargetKind.GrpcUnary, Address = chains.Grpc, Connections = 1 };
            yield return (GrpcChain, grpc with { StreamMode = "per-request" }, "gRPC unary, stream per request" + suffix);
            yield return (GrpcChain, grpc with { StreamMode = "shared" }, "gRPC unary, shared streams" + suffix);
            yield return (GrpcChain, grpc with { Target = TargetKind.GrpcStream, StreamMode = "shared" }, "gRPC streaming edge, shared streams" + suffix);
        }
    }

    /// <summary>The plan's rows named <paramref name="row"/>, at every size of the sweep: one chain alone, without the ceilings.</summary>
    public static IEnumerable<(string Chain, LoadSettings Settings, string Name)> Only(string row, CompareSettings compare, ChainAddresses chains) =>
        Plan(compare, chains).Where(p => p.Name == row || p.Name.StartsWith(row + ", "));

    /// <param name="only">Run just the rows of this name (see <see cref="Only"/>); null runs them all.</param>
    public static async Task<ComparisonReport> RunAsync(CompareSettings compare, ChainAddresses chains,
        IProgress<RunProgress>? progress, CancellationToken ct, string? only = null)
    {
        var startedAt = DateTimeOffset.Now;
        using var probe = new ServiceProbe(chains.Stats);
        var rows = new List<ComparisonRow>();
        string telemetry = "";
        foreach (var (chain, settings, name) in (only is null ? Plan(compare, chains) : Only(only, compare, chains)))
        {
            var (row, stats) = await MeasureAsync(name, chain, settings, probe, progress, ct);
            rows.Add(row);
            telemetry = DescribeTelemetry(stats);
        }
        return new ComparisonReport(startedAt, Machine(), telemetry, rows.Select(row => AgainstCeiling(row, rows)).ToList());
    }

    /// <summary>One row: warm up, read every service, run the measured window while sampling CPU, read them again.</summary>
    public static async Task<(ComparisonRow Row, IReadOnlyDictionary<string, ServiceStats> After)> MeasureAsync(string name, string chain,
        LoadSettings settings, ServiceProbe probe, IProgress<RunProgress>? progress, CancellationToken ct)
    {
        await using var target = LoadTargets.Create(settings);
        await LoadRun.RunAsync("warm-up", target, settings with { Requests = null, Duration = settings.Warmup, Warmup = TimeSpan.Zero }, progress, ct);

        var before = await probe.ReadAllAsync(ct);
        RunResult run;
        IReadOnlyList<CpuPoint> timeline;
        await using (var sampler = new CpuTimeline(probe, before))
        {
            run = await LoadRun.RunAsync(name, target, settings with { Warmup = TimeSpan.Zero }, progress, ct);
            timeline = await sampler.StopAsync();
        }
        var after = await probe.ReadAllAsync(ct);

        var wallMs = run.Seconds * 1000;
        ServiceCpu Cost(string service) => new(service,
            CpuTimeline.CpuMs(before[service], after[service]),
            run.Succeeded > 0 ? CpuTimeline.CpuMs(before[service], after[service]) / run.Succeeded : 0,
            100 * CpuTimeline.CpuMs(before[service], after[service]) / wallMs,
            after[service].Served - before[service].Served,
            after[service].Failed - before[service].Failed);

        // A ceiling row loads the edge alone, and its no-op requests are not counted as served.
        var ceiling = IsCeiling(settings);
        var services = probe.Services.Where(s => s.EndsWith("-" + chain) && (!ceiling || s.StartsWith("aggregator-"))).Select(Cost).ToList();
        var row = new ComparisonRow(run, chain, services,
            services.Sum(s => s.CpuMsPerRequest), services.Sum(s => s.PercentOfCore), Cost(ServiceProbe.Self),
            after.ContainsKey(ServiceProbe.Machine) ? Cost(ServiceProbe.Machine) : null,
            ceiling ? new Reconciliation(run.Failed == 0, run.Succeeded, new Dictionary<string, long>(), "a ceiling row: no-op requests are not counted")
                : Reconcile(run, services),
            timeline);
        return (row, after);
    }

    private static bool IsCeiling(LoadSettings settings) => settings.Target is TargetKind.RestNoop or TargetKind.GrpcNoop;

    private static ComparisonRow AgainstCeiling(ComparisonRow row, IReadOnlyList<ComparisonRow> rows) =>
        IsCeiling(row.Run.Settings) || rows.FirstOrDefault(r => r.Chain == row.Chain && IsCeiling(r.Run.Settings)) is not { } ceiling
            ? row
            : row with { OfCeiling = ceiling.Run.RequestsPerSecond > 0 ? row.Run.RequestsPerSecond / ceiling.Run.RequestsPerSecond : null };

    private static Reconciliation Reconcile(RunResult run, IReadOnlyList<ServiceCpu> services)
    {
        var served = services.ToDictionary(s => s.Service, s => s.Served);
        var off = services.Where(s => s.Served != run.Succeeded).Select(s => $"{s.Service} served {s.Served:N0}").ToList();
        return new Reconciliation(off.Count == 0, run.Succeeded, served,
            off.Count == 0
                ? $"{run.Succeeded:N0} succeeded = served by each of {services.Count} services"
                : $"load generator saw {run.Succeeded:N0} succeed, but {string.Join(", ", off)}");
    }

    private static string DescribeTelemetry(IReadOnlyDictionary<string, ServiceStats> stats)
    {
        var kinds = stats.Where(s => s.Key is not (ServiceProbe.Self or ServiceProbe.Machine)).GroupBy(s => s.Value.Telemetry).ToList();
        return kinds.Count == 1
            ? $"Same on all {kinds[0].Count()} services: {kinds[0].Key}."
            : "Differs between services: " + string.Join("; ", kinds.Select(k => $"{string.Join(", ", k.Select(s => s.Key))}: {k.Key}"));
    }

    public static MachineInfo Machine() => new(Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
}
