using LoadGenerator.Reports;
using LoadGenerator.Runs;
using Protos.Control;

namespace LoadGenerator.Serve;

/// <summary>One run at a time, in the background; its progress and result kept for the dashboard to read.</summary>
public sealed class RunCoordinator(ChainAddresses chains, string resultsDirectory, ILogger<RunCoordinator> logger, IHostApplicationLifetime lifetime)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, RunStatus> runs = [];
    private RunStatus? current;

    public static Func<IServiceProvider, RunCoordinator> FromConfiguration(IConfiguration configuration) => services =>
    {
        var section = configuration.GetSection("LoadGen");
        var stats = section.GetSection("Stats").GetChildren().ToDictionary(s => s.Key, s => new Uri(s.Value!));
        var chains = stats.Count == 0
            ? ChainAddresses.Local()
            : new ChainAddresses(new Uri(section["Rest"]!), new Uri(section["RestH2c"]!), new Uri(section["Grpc"]!), stats);
        return new RunCoordinator(chains, section["ResultsDirectory"] ?? "results",
            services.GetRequiredService<ILogger<RunCoordinator>>(), services.GetRequiredService<IHostApplicationLifetime>());
    };

    public IResult Start(RunRequest request)
    {
        if (Validate(request) is { } invalid) return TypedResults.Problem(invalid, statusCode: StatusCodes.Status400BadRequest, title: "Invalid run");
        lock (gate)
        {
            if (current is { State: RunState.Running } busy)
            {
                return TypedResults.Problem($"A run is already going ({busy.Kind.Name()}: {busy.Progress}); wait for it to finish.",
                    statusCode: StatusCodes.Status409Conflict, title: "Busy");
            }
            current = new RunStatus(Guid.NewGuid().ToString("n")[..12], request.Kind, RunState.Running, "starting");
            runs[current.Id] = current;
        }
        _ = RunAsync(current.Id, request);
        return TypedResults.Accepted($"{RunRequest.Path}/{current.Id}", current);
    }

    public RunStatus? Find(string id)
    {
        lock (gate) return runs.GetValueOrDefault(id);
    }

    private static string? Validate(RunRequest r) => r switch
    {
        { DurationSeconds: <= 0 or > 3600 } => $"duration must be between 0 and 3600 seconds, got {r.DurationSeconds}",
        { WarmupSeconds: < 0 or > 600 } => $"warm-up must be between 0 and 600 seconds, got {r.WarmupSeconds}",
        { Concurrency: < 1 or > 10_000 } => $"concurrency must be between 1 and 10000, got {r.Concurrency}",
        { Rate: <= 0 } => $"rate must be positive when given, got {r.Rate}",
        _ => BatchSizes.Parse(r.Sizes) is null ? $"sizes must be whole numbers between 1 and {Protos.BatchSpec.MaxSize}, comma-separated, got '{r.Sizes}'" : null,
    };

    private async Task RunAsync(string id, RunRequest request)
    {
        var settings = new CompareSettings
        {
            Duration = TimeSpan.FromSeconds(request.DurationSeconds),
            Warmup = TimeSpan.FromSeconds(request.WarmupSeconds),
            Concurrency = request.Concurrency,
            Rate = request.Rate,
            Sizes = BatchSizes.Parse(request.Sizes)!,
        };
        var progress = new Progress<RunProgress>(p => Update(id, s => s with { Progress = Describe(p) }));
        try
        {
            await using var watch = ChainWatch.Start(chains.Stats);
            var recorded = await RecordedComparison.RunAsync(settings, chains, report => ReportWriter.DirectoryFor(resultsDirectory, report.StartedAt),
                progress, lifetime.ApplicationStopping, only: Only(request.Kind));
            logger.LogInformation("{Kind} finished; report in {Directory}\n{Table}", request.Kind.Name(), recorded.Directory, recorded.Table);
            var report = recorded.Report;
            var summary = $"{ReportWriter.CompactTable(report)}\n{report.Machine.Cores} cores · {report.Telemetry}\n\nFull table and charts: `{recorded.Page}`";
            Update(id, s => s with { State = RunState.Succeeded, Progress = "done", Markdown = summary, ReportDirectory = recorded.Directory });
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Kind} failed", request.Kind.Name());
            Update(id, s => s with { State = RunState.Failed, Error = e.Message });
        }
    }

    /// <summary>One chain alone runs its row of the comparison (REST, or gRPC unary over shared streams), without the ceilings; compare runs them all.</summary>
    private static Scenario? Only(RunKind kind) => kind switch
    {
        RunKind.Rest => Scenario.Rest,
        RunKind.Grpc => Scenario.GrpcShared,
        _ => null,
    };

    private void Update(string id, Func<RunStatus, RunStatus> change)
    {
        lock (gate)
        {
            var updated = change(runs[id]);
            runs[id] = updated;
            if (current?.Id == id) current = updated;
        }
    }

    private static string Describe(RunProgress p) =>
        $"{p.Phase}: {p.Seconds:0}/{p.TotalSeconds:0} s, {p.Completed:N0} done, {p.CurrentRate:N0} req/s, {p.Failed:N0} errors";
}
