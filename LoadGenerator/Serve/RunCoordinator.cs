using LoadGenerator.Reports;
using LoadGenerator.Runs;
using Protos;
using Protos.Control;

namespace LoadGenerator.Serve;

/// <summary>
/// One run at a time, in the background; its progress and result kept for the dashboard to read. When the load generator
/// stops, the run going is cancelled and its finished rows written before the process ends.
/// </summary>
public sealed class RunCoordinator(ChainAddresses chains, string resultsDirectory, ILogger<RunCoordinator> logger) : IHostedService
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, RunStatus> runs = [];
    private RunStatus? current;
    private (CancellationTokenSource Stop, Task Run)? going;

    /// <summary>Where reports are written, and served from.</summary>
    public string ResultsDirectory => resultsDirectory;

    public static Func<IServiceProvider, RunCoordinator> FromConfiguration(IConfiguration configuration) => services =>
    {
        var section = configuration.GetSection("LoadGen");
        var stats = section.GetSection("Stats").GetChildren().ToDictionary(s => s.Key, s => (IReadOnlyList<Uri>)[new Uri(s.Value!)]);
        var chains = stats.Count == 0
            ? ChainAddresses.Local()
            : new ChainAddresses(new Uri(section["Rest"]!), new Uri(section["RestH2c"]!), new Uri(section["Grpc"]!), stats);
        return new RunCoordinator(chains, section["ResultsDirectory"] ?? "results", services.GetRequiredService<ILogger<RunCoordinator>>());
    };

    public IResult Start(RunRequest request)
    {
        if (request.Problems() is [var first, ..]) return TypedResults.Problem(first.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid run");
        lock (gate)
        {
            if (current is { State: RunState.Running } busy)
            {
                return TypedResults.Problem($"A run is already going ({busy.Kind.Name()}: {busy.Progress}); wait for it to finish.",
                    statusCode: StatusCodes.Status409Conflict, title: "Busy");
            }
            current = new RunStatus(Guid.NewGuid().ToString("n")[..12], request.Kind, RunState.Running, "starting");
            runs[current.Id] = current;
            var stop = new CancellationTokenSource();
            going = (stop, RunAsync(current.Id, request, stop.Token));
        }
        return TypedResults.Accepted($"{RunRequest.Path}/{current.Id}", current);
    }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>The host waits for this (up to its shutdown timeout): a cancelled run still writes the rows it finished.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        string? id;
        lock (gate) id = current is { State: RunState.Running } running ? running.Id : null;
        if (id is not null) await CancelAsync(id).WaitAsync(ct);
    }

    /// <summary>Stops the run if it is the one going, and answers once it has stopped: its load ends with its token.</summary>
    public async Task<RunStatus?> CancelAsync(string id)
    {
        Task? stopped = null;
        lock (gate)
        {
            if (!runs.ContainsKey(id)) return null;
            if (current is { State: RunState.Running } running && running.Id == id && going is var (stop, run))
            {
                stop.Cancel();
                stopped = run;
            }
        }
        if (stopped is not null) await stopped;
        return Find(id);
    }

    public RunStatus? Find(string id)
    {
        lock (gate) return runs.GetValueOrDefault(id);
    }

    private async Task RunAsync(string id, RunRequest request, CancellationToken ct)
    {
        // Off the request's thread: the caller gets its answer while the run starts.
        await Task.Yield();
        var settings = new CompareSettings
        {
            Duration = TimeSpan.FromSeconds(request.DurationSeconds),
            Warmup = TimeSpan.FromSeconds(request.WarmupSeconds),
            Concurrency = request.Concurrency,
            Rate = request.Rate,
            Sizes = BatchSizes.Parse(request.Sizes)!,
        };
        // A report of progress can arrive after the run ended; it does not overwrite how it ended.
        var progress = new Progress<RunProgress>(p => Update(id, s => s.State == RunState.Running ? s with { Progress = Describe(p) } : s));
        try
        {
            await using var watch = ChainWatch.Start(chains.Stats);
            var recorded = await RecordedComparison.RunAsync(settings, chains, report => ReportWriter.DirectoryFor(resultsDirectory, report.StartedAt),
                progress, ct, only: Only(request.Kind) is { } only ? ChainComparison.Only(only, settings, chains) : null);
            logger.LogInformation("{Kind} {Ended}; report in {Directory}\n{Table}", request.Kind.Name(), recorded.Report.Cancelled ? "cancelled" : "finished", recorded.Directory, recorded.Table);
            var report = recorded.Report;
            var summary = $"{(report.Cancelled ? ReportWriter.CancelledLine(report) + "\n\n" : "")}{ReportWriter.CompactTable(report)}\n{report.Machine.Cores} cores · {report.Telemetry}";
            Update(id, s => s with
            {
                State = report.Cancelled ? RunState.Cancelled : RunState.Succeeded, Progress = report.Cancelled ? "cancelled" : "done",
                Markdown = summary, ReportDirectory = recorded.Directory,
                ReportPage = ServedReports.PageOf(resultsDirectory, recorded.Page),
            });
        }
        // A cancelled gRPC call ends in an RpcException, not an OperationCanceledException: what ended the run is the token.
        catch (Exception) when (ct.IsCancellationRequested)
        {
            logger.LogInformation("{Kind} cancelled", request.Kind.Name());
            Update(id, s => s with { State = RunState.Cancelled, Progress = "cancelled" });
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
            if (updated.State != RunState.Running && current?.Id == id && going is var (stop, _))
            {
                stop.Dispose();
                going = null;
            }
        }
    }

    private static string Describe(RunProgress p) =>
        $"{p.Phase}: {p.Seconds:0}/{p.TotalSeconds:0} s, {p.Completed:N0} done, {p.CurrentRate:N0} req/s, {p.Failed:N0} errors";
}
