using System.Diagnostics;
using LoadGenerator.Targets;
using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>
/// REST against gRPC, same settings, one after another: each transport's no-op single hop (the ceiling), REST with
/// keep-alive in JSON and protobuf over HTTP/1.1 and HTTP/2 (which tells the encoding and the HTTP version apart from
/// the rest of what gRPC changes), gRPC unary with a stream per request, with shared streams between the services and
/// with shared streams that batch, and the gRPC streaming edge over shared and batched streams. For each: throughput and latency from the load generator, CPU per service from the operating
/// system, bytes on the wire per hop, and the counts reconciled.
/// </summary>
public static class ChainComparison
{
    public static IEnumerable<PlannedRow> Plan(CompareSettings compare, ChainAddresses chains)
    {
        // The ceilings first: each shape's single no-op hop, same load generator, same connection shapes as the chains.
        var noop = new LoadSettings
        {
            Target = TargetKind.RestNoop, Address = chains.Rest, Duration = compare.Duration, Warmup = compare.Warmup,
            Concurrency = compare.Concurrency, Rate = compare.Rate, Connections = compare.Concurrency,
        };
        yield return Planned(Scenario.RestCeiling, noop);
        yield return Planned(Scenario.GrpcCeiling, noop with { Address = chains.Grpc, Connections = 1 });
        yield return Planned(Scenario.GrpcStreamCeiling, noop with { Address = chains.Grpc, Connections = 1 });
        foreach (var size in compare.Sizes)
        {
            var sweep = compare.Sizes.Count > 1 ? $", {size:N0} records" : "";
            var rest = new LoadSettings
            {
                Target = TargetKind.Rest, Address = chains.Rest, Duration = compare.Duration, Warmup = compare.Warmup,
                Concurrency = compare.Concurrency, Rate = compare.Rate, Seed = compare.Seed, Size = size, Connections = compare.Concurrency,
            };
            // HTTP/2 multiplexes every request on one connection, as gRPC does.
            var h2 = rest with { Address = chains.RestH2c, Connections = 1 };
            var grpc = rest with { Address = chains.Grpc, Connections = 1 };
            yield return Planned(Scenario.Rest, rest, sweep);
            yield return Planned(Scenario.RestJsonH2, h2, sweep);
            yield return Planned(Scenario.RestProtobuf, rest, sweep);
            yield return Planned(Scenario.RestProtobufH2, h2, sweep);
            yield return Planned(Scenario.GrpcPerRequest, grpc, sweep);
            yield return Planned(Scenario.GrpcShared, grpc, sweep);
            yield return Planned(Scenario.GrpcBatched, grpc, sweep);
            yield return Planned(Scenario.GrpcStreamShared, grpc, sweep);
            yield return Planned(Scenario.GrpcStreamBatched, grpc, sweep);
        }
    }

    /// <summary>A row of <paramref name="scenario"/> on a connection shape: the scenario sets the target, the stream mode and the REST wire, and names the row.</summary>
    private static PlannedRow Planned(Scenario scenario, LoadSettings shape, string sweep = "") =>
        new(shape with { Target = scenario.Target, StreamMode = scenario.StreamMode, HttpVersion = scenario.HttpVersion, Encoding = scenario.Encoding }, scenario.Name + sweep);

    /// <summary>The plan's rows of one scenario, at every size of the sweep: one chain alone, without the ceilings.</summary>
    public static IEnumerable<PlannedRow> Only(Scenario scenario, CompareSettings compare, ChainAddresses chains) =>
        Plan(compare, chains).Where(p => p.Scenario == scenario);

    /// <summary>The plan's rows of these scenarios, each with the ceiling of its shape (what its ratios are taken against), in the plan's order.</summary>
    public static IEnumerable<PlannedRow> WithCeilings(IReadOnlyCollection<Scenario> scenarios, CompareSettings compare, ChainAddresses chains) =>
        Plan(compare, chains).Where(p => scenarios.Contains(p.Scenario) || scenarios.Any(s => s.Ceiling == p.Scenario));

    /// <param name="only">Run just these rows (<see cref="Only"/>, <see cref="WithCeilings"/>); null runs them all.</param>
    public static async Task<ComparisonReport> RunAsync(CompareSettings compare, ChainAddresses chains,
        IProgress<RunProgress>? progress, CancellationToken ct, IEnumerable<PlannedRow>? only = null)
    {
        var startedAt = DateTimeOffset.Now;
        using var probe = new ServiceProbe(chains.Stats);
        var rows = new List<ComparisonRow>();
        string telemetry = "";
        var cancelled = false;
        try
        {
            foreach (var planned in only ?? Plan(compare, chains))
            {
                var (row, stats) = await MeasureAsync(planned, probe, progress, ct);
                if (compare.Floors && FloorOf(planned, row, compare, chains) is { } floor)
                {
                    row = row with { Floor = await MeasureFloorAsync(floor, probe, progress, ct) };
                }
                rows.Add(row);
                telemetry = DescribeTelemetry(stats);
            }
        }
        // Stopped part way (a cancelled gRPC call ends in an RpcException): the rows already finished are still a report.
        catch (Exception) when (ct.IsCancellationRequested && rows.Count > 0)
        {
            cancelled = true;
        }
        return Report(startedAt, telemetry, rows, cancelled);
    }

    /// <summary>The ceiling of <paramref name="planned"/>'s shape, open-loop at the rate <paramref name="row"/> ran; null for rows that don't measure it.</summary>
    public static PlannedRow? FloorOf(PlannedRow planned, ComparisonRow row, CompareSettings compare, ChainAddresses chains) =>
        planned.Scenario.MeasuresFloor && row.Run.RequestsPerSecond > 0 && planned.Scenario.Ceiling is { } shape
            && Plan(compare, chains).FirstOrDefault(p => p.Scenario == shape) is { } ceiling
            ? new PlannedRow(ceiling.Settings with { Rate = Math.Round(row.Run.RequestsPerSecond), Schedule = null, Requests = null },
                $"{ceiling.Name} at {row.Run.RequestsPerSecond:N0} req/s, the floor of {planned.Name}")
            : null;

    /// <summary>A floor row measured as any row, kept as what it says of its no-op end.</summary>
    public static async Task<FloorRun> MeasureFloorAsync(PlannedRow floor, ServiceProbe probe, IProgress<RunProgress>? progress, CancellationToken ct)
    {
        var (row, _) = await MeasureAsync(floor, probe, progress, ct);
        return new FloorRun(floor.Settings.Rate ?? 0, row.Run.RequestsPerSecond, row.ChainCpuMsPerRequest, row.Reconciliation);
    }

    /// <summary>The rows as a report, each against the ceiling of its shape measured among them.</summary>
    public static ComparisonReport Report(DateTimeOffset startedAt, string telemetry, IReadOnlyList<ComparisonRow> rows, bool cancelled) =>
        new(startedAt, Machine(), telemetry, rows.Select(row => AgainstCeiling(row, rows)).ToList(), cancelled);

    /// <summary>
    /// One row: wait (bounded) for the rest of the machine to be quiet, warm up, read every service and process (CPU and
    /// bytes on the wire), run the measured window while sampling CPU, read them again.
    /// </summary>
    public static async Task<(ComparisonRow Row, IReadOnlyDictionary<string, ServiceStats> After)> MeasureAsync(PlannedRow planned,
        ServiceProbe probe, IProgress<RunProgress>? progress, CancellationToken ct)
    {
        var (settings, name, chain) = (planned.Settings, planned.Name, planned.Scenario.Chain);
        // A ceiling row loads the edge alone and charges it alone; the chain's other two processes, idle, are still the
        // chain's and not counted among the others.
        var ceiling = planned.Scenario.IsCeiling;
        var chainServices = probe.Services.Where(s => s.EndsWith("-" + chain)).ToList();
        var measuredServices = chainServices.Where(s => !ceiling || s.StartsWith("aggregator-")).ToList();
        var known = await probe.ReadAsync(ct);
        var (names, measured) = (known.Names(), known.Measured(chainServices));

        progress?.Report(new RunProgress($"{name}: waiting for a quiet machine", 0, null, 0, QuietWait.Longest.TotalSeconds, 0, 0));
        var quiet = await QuietWait.ForAsync(measured, ct);
        await using var target = LoadTargets.Create(settings);
        var warmedUp = await WarmUpAsync(target, settings, probe, measuredServices, progress, ct);

        var before = await probe.ReadAsync(ct);
        var processesBefore = ProcessTable.Read();
        RunResult run;
        IReadOnlyList<CpuPoint> timeline;
        await using (var sampler = new CpuTimeline(probe, before, measured))
        {
            run = await LoadRun.RunAsync(name, target, settings with { Warmup = TimeSpan.Zero }, progress, ct);
            timeline = await sampler.StopAsync();
        }
        var after = await probe.ReadAsync(ct);
        var others = OtherProcesses.Between(processesBefore, ProcessTable.Read(), run.Seconds * 1000, measured, names);

        var services = measuredServices.Select(s => Cost(s, before.Services[s], after.Services[s], run, noops: ceiling)).ToList();
        var row = new ComparisonRow(run, chain, services,
            services.Sum(s => s.CpuMsPerRequest), services.Sum(s => s.PercentOfCore),
            Cost(ProbeReading.LoadGeneratorName, before.LoadGenerator.Cpu, after.LoadGenerator.Cpu, run),
            before.Machine is { } machineBefore && after.Machine is { } machineAfter ? Cost(ProbeReading.MachineName, machineBefore, machineAfter, run) : null,
            others, quiet, Reconcile(run, services, ceiling), timeline)
        {
            WarmupSeconds = warmedUp,
            Wire = WireHops.Between(before, after, measuredServices, run.Succeeded),
            Replicas = ReplicaShare.Between(before, after, measuredServices),
        };
        return (row, after.Services);
    }

    /// <summary>What a process cost over a run's window; served and failed are what it counted meanwhile, if it counts any.</summary>
    private static ServiceCpu Cost(string name, CpuTime before, CpuTime after, RunResult run, long served = 0, long failed = 0)
    {
        var cpuMs = CpuTime.Between(before, after);
        return new ServiceCpu(name, cpuMs, run.Succeeded > 0 ? cpuMs / run.Succeeded : 0, 100 * cpuMs / (run.Seconds * 1000), served, failed);
    }

    /// <summary>A service's cost, and what it counted: a ceiling's edge its no-ops, a chain's service its requests.</summary>
    public static ServiceCpu Cost(string service, ServiceStats before, ServiceStats after, RunResult run, bool noops) => noops
        ? Cost(service, CpuTime.Of(before), CpuTime.Of(after), run, after.NoopsServed - before.NoopsServed)
        : Cost(service, CpuTime.Of(before), CpuTime.Of(after), run, after.Served - before.Served, after.Failed - before.Failed);

    /// <summary>The longest a row warms up, however its rate moves.</summary>
    public static readonly TimeSpan LongestWarmup = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Load, second by second, for the warm-up asked at least and then until a second's rate stops rising (by more than
    /// 5% over the best before it) and the measured services' CPU per request stops falling (by more than 5% under the
    /// lowest before it), at most <see cref="LongestWarmup"/>: a cold chain (connections, JIT tiers, pools, a GC still
    /// sizing its heaps, which can hold a service's CPU a third above its steady cost for seconds at a steady rate) is not
    /// measured. Returns the seconds it took.
    /// </summary>
    public static async Task<double> WarmUpAsync(ILoadTarget target, LoadSettings settings, ServiceProbe probe, IReadOnlyList<string> measured,
        IProgress<RunProgress>? progress, CancellationToken ct)
    {
        var second = settings with { Requests = null, Duration = TimeSpan.FromSeconds(1), Warmup = TimeSpan.Zero };
        var clock = Stopwatch.StartNew();
        var (best, lowest) = (0.0, double.MaxValue);
        var cpu = await CpuMsAsync(probe, measured, ct);
        while (clock.Elapsed < LongestWarmup)
        {
            var run = await LoadRun.RunAsync("warm-up", target, second, progress, ct);
            var cpuNow = await CpuMsAsync(probe, measured, ct);
            var cpuPerRequest = run.Succeeded > 0 ? (cpuNow - cpu) / run.Succeeded : double.MaxValue;
            cpu = cpuNow;
            var settling = run.RequestsPerSecond > 1.05 * best || cpuPerRequest < 0.95 * lowest;
            (best, lowest) = (Math.Max(best, run.RequestsPerSecond), Math.Min(lowest, cpuPerRequest));
            if (!settling && clock.Elapsed >= settings.Warmup) break;
        }
        return Math.Round(clock.Elapsed.TotalSeconds, 1);
    }

    /// <summary>The CPU time so far of the <paramref name="measured"/> services together.</summary>
    private static async Task<double> CpuMsAsync(ServiceProbe probe, IReadOnlyList<string> measured, CancellationToken ct)
    {
        var services = (await probe.ReadAsync(ct)).Services;
        return measured.Sum(service => CpuTime.Of(services[service]).Ms);
    }

    private static ComparisonRow AgainstCeiling(ComparisonRow row, IReadOnlyList<ComparisonRow> rows) =>
        row.Run.Scenario.Ceiling is not { } shape || rows.FirstOrDefault(r => r.Run.Scenario == shape) is not { } ceiling
            ? row
            : row with
            {
                OfCeiling = ceiling.Run.RequestsPerSecond > 0 ? row.Run.RequestsPerSecond / ceiling.Run.RequestsPerSecond : null,
                HopOfFloor = HopAgainst(row, ceiling.ChainCpuMsPerRequest),
                HopOfFloorAtRate = HopAgainst(row, row.Floor?.CpuMsPerNoop),
            };

    /// <summary>
    /// The middle hop's CPU per request (the processor's: a server and a client of the same request) against two no-op
    /// ends of <paramref name="noopCpuMs"/> each; null without a processor or a no-op.
    /// </summary>
    private static double? HopAgainst(ComparisonRow row, double? noopCpuMs) =>
        row.Services.FirstOrDefault(s => s.Service.StartsWith("processor-")) is { } hop && noopCpuMs > 0 ? hop.CpuMsPerRequest / (2 * noopCpuMs.Value) : null;

    public static Reconciliation Reconcile(RunResult run, IReadOnlyList<ServiceCpu> services, bool noops)
    {
        var served = services.ToDictionary(s => s.Service, s => s.Served);
        var what = noops ? "no-ops served" : "served";
        var off = services.Where(s => s.Served != run.Succeeded).Select(s => $"{s.Service} {what} {s.Served:N0}").ToList();
        return new Reconciliation(off.Count == 0, run.Succeeded, served,
            off.Count == 0
                ? $"{run.Succeeded:N0} succeeded = {what} by {(services.Count == 1 ? services[0].Service : $"each of {services.Count} services")}"
                : $"load generator saw {run.Succeeded:N0} succeed, but {string.Join(", ", off)}");
    }

    public static string DescribeTelemetry(IReadOnlyDictionary<string, ServiceStats> stats)
    {
        var kinds = stats.GroupBy(s => s.Value.Telemetry).ToList();
        return kinds.Count == 1
            ? $"Same on all {kinds[0].Count()} services: {kinds[0].Key}."
            : "Differs between services: " + string.Join("; ", kinds.Select(k => $"{string.Join(", ", k.Select(s => s.Key))}: {k.Key}"));
    }

    public static MachineInfo Machine() => new(Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
}
