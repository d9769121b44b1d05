using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Protos.Control;

namespace AppHost;

/// <summary>
/// The load generator as a resource, and the dashboard commands that drive it. The commands hand the run to the
/// load generator's control API with a token made at start-up, show its progress on the load generator's resource while
/// a progress dialog offers Cancel, and show the result table with a link to the report the load generator serves.
/// </summary>
public static class LoadCommands
{
    /// <summary>Every load command's name starts so: load-compare, load-rest, load-grpc.</summary>
    public const string Prefix = "load-";

    public static IResourceBuilder<ProjectResource> AddLoadGenerator(this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> restEdge, IResourceBuilder<ProjectResource> grpcEdge, params IResourceBuilder<ProjectResource>[] services)
    {
        builder.Services.AddHttpClient();
        builder.Services.TryAddSingleton<LoadRuns>();
        // Reports go to results/ beside the solution unless --ResultsDirectory says otherwise.
        var results = Path.GetFullPath(builder.Configuration["ResultsDirectory"] ?? Path.Combine(builder.AppHostDirectory, "..", "results"));
        var loadgen = builder.AddProject<Projects.LoadGenerator>("loadgen")
            .WithArgs("serve")
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            .WithTelemetry(builder.Configuration)
            .WithGen0Budget()
            .WithControlToken("LoadGen__ControlToken")
            .WithEnvironment("LoadGen__ResultsDirectory", results)
            .WithEnvironment("LoadGen__Rest", ReferenceExpression.Create($"{restEdge.GetEndpoint("http")}/aggregate"))
            .WithEnvironment("LoadGen__RestH2c", ReferenceExpression.Create($"{restEdge.GetEndpoint("h2c")}/aggregate"))
            .WithEnvironment("LoadGen__Grpc", grpcEdge.GetEndpoint("grpc"))
            // The newest report from an earlier run until this run writes one; before any, the results directory's listing.
            .WithUrls(context => context.Urls.Add(new ResourceUrlAnnotation
            {
                Url = $"{context.GetEndpoint("http")!.Url}{ServedReports.Newest(results) ?? ServedReports.Path + "/"}",
                DisplayText = LoadRuns.LatestReport,
            }))
            .WaitFor(restEdge)
            .WaitFor(grpcEdge);
        foreach (var service in services)
        {
            loadgen.WithEnvironment($"LoadGen__Stats__{service.Resource.Name}", service.GetEndpoint("http"));
        }
        return loadgen.WithLoadCommand(loadgen, RunKind.Compare, "Compare REST vs gRPC", "REST (JSON and protobuf, over HTTP/1.1 and HTTP/2), gRPC with a stream per request, gRPC with shared streams and the streaming edge, one after another");
    }

    /// <summary>A command on <paramref name="resource"/> that runs <paramref name="kind"/> on the load generator.</summary>
    public static IResourceBuilder<ProjectResource> WithLoadCommand(this IResourceBuilder<ProjectResource> resource,
        IResourceBuilder<ProjectResource> loadgen, RunKind kind, string displayName, string description) =>
        resource.WithCommand(Prefix + kind.Name(), displayName, context => RunAsync(context, loadgen, kind), new CommandOptions
        {
            Description = description,
            IconName = kind == RunKind.Compare ? "DataBarVertical" : "Play",
            IsHighlighted = true,
            Arguments = LoadArguments.For(kind),
            ValidateArguments = context => LoadArguments.ValidateAsync(context, kind),
            UpdateState = context => context.Services.GetRequiredService<LoadRuns>().CommandState,
            Progress = new CommandProgressOptions
            {
                Title = displayName,
                Message = $"Measuring ({kind.Name()}). Its progress is on loadgen's details (Run, Progress); Cancel stops the run.",
            },
        });

    private static async Task<ExecuteCommandResult> RunAsync(ExecuteCommandContext context, IResourceBuilder<ProjectResource> loadgen, RunKind kind)
    {
        var runs = context.Services.GetRequiredService<LoadRuns>();
        var control = new LoadControl(context.Services.GetRequiredService<IHttpClientFactory>().CreateClient(), new Uri(loadgen.GetEndpoint("http").Url));
        try
        {
            var (status, refusal) = await control.StartAsync(LoadArguments.Request(kind, context.Arguments), context.CancellationToken);
            if (status is null) return CommandResults.Failure(refusal);
            try
            {
                while (status.State == RunState.Running)
                {
                    await runs.ShowAsync(loadgen.Resource, status);
                    await Task.Delay(TimeSpan.FromSeconds(1), context.CancellationToken);
                    status = await control.FindAsync(status.Id, context.CancellationToken);
                }
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                // The dashboard's Cancel (or the caller's token): the run stops too, and the command says so once it has.
                await ShowAsync(runs, loadgen, await control.CancelAsync(status.Id));
                return CommandResults.Canceled();
            }
            return await ShowAsync(runs, loadgen, status) is { } report && status.State == RunState.Succeeded
                ? CommandResults.Success($"{kind.Name()} done. Report: {report}",
                    $"{status.Markdown}\n\n[Full table and charts]({report})", CommandResultFormat.Markdown, displayImmediately: true)
                : CommandResults.Failure($"{kind.Name()} {status.State.ToString().ToLowerInvariant()}: {status.Error}");
        }
        catch (HttpRequestException e)
        {
            return CommandResults.Failure($"the load generator is not reachable: {e.Message}");
        }
        finally
        {
            await runs.ForgetAsync();
        }
    }

    /// <summary>Shows how the run ended on the load generator's resource: its report's address, if it wrote one.</summary>
    private static async Task<string?> ShowAsync(LoadRuns runs, IResourceBuilder<ProjectResource> loadgen, RunStatus ended)
    {
        await runs.ShowAsync(loadgen.Resource, ended);
        if (ended.ReportPage is null) return null;
        var report = $"{loadgen.GetEndpoint("http").Url}{ended.ReportPage}";
        await runs.ShowReportAsync(loadgen.Resource, report);
        return report;
    }
}
