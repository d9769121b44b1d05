using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Protos.Control;

namespace AppHost;

/// <summary>
/// The load generator as a resource, and the dashboard commands that drive it. The commands hand the run to the
/// load generator's control API with a token made at start-up, follow it in the resource's state, and show the result table.
/// </summary>
public static class LoadCommands
{
    public static IResourceBuilder<ProjectResource> AddLoadGenerator(this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> restEdge, IResourceBuilder<ProjectResource> grpcEdge, params IResourceBuilder<ProjectResource>[] services)
    {
        var loadgen = builder.AddProject<Projects.LoadGenerator>("loadgen")
            .WithArgs("serve")
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            .WithTelemetry(builder.Configuration)
            .WithControlToken("LoadGen__ControlToken")
            // Reports go to results/ beside the solution unless --ResultsDirectory says otherwise.
            .WithEnvironment("LoadGen__ResultsDirectory", Path.GetFullPath(builder.Configuration["ResultsDirectory"] ?? Path.Combine(builder.AppHostDirectory, "..", "results")))
            .WithEnvironment("LoadGen__Rest", ReferenceExpression.Create($"{restEdge.GetEndpoint("http")}/aggregate"))
            .WithEnvironment("LoadGen__RestH2c", ReferenceExpression.Create($"{restEdge.GetEndpoint("h2c")}/aggregate"))
            .WithEnvironment("LoadGen__Grpc", grpcEdge.GetEndpoint("grpc"))
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
        IResourceBuilder<ProjectResource> loadgen, RunKind kind, string displayName, string description)
    {
        var defaults = new RunRequest(kind);
        return resource.WithCommand($"load-{kind.Name()}", displayName, context => RunAsync(context, loadgen, kind), new CommandOptions
        {
            Description = description,
            IconName = kind == RunKind.Compare ? "DataBarVertical" : "Play",
            IsHighlighted = true,
            Arguments =
            [
                new() { Name = "duration", Label = "Seconds measured per run", InputType = InputType.Number, Value = Text(defaults.DurationSeconds), Required = true },
                new() { Name = "concurrency", Label = "Concurrency (requests in flight)", InputType = InputType.Number, Value = Text(defaults.Concurrency), Required = true },
                new() { Name = "size", Label = "Records per batch (a comma list sweeps sizes)", InputType = InputType.Text, Value = defaults.Sizes, Required = true },
                new() { Name = "rate", Label = "Open loop: requests per second (empty: closed loop)", InputType = InputType.Number },
                new() { Name = "warmup", Label = "Warm-up seconds (not measured)", InputType = InputType.Number, Value = Text(defaults.WarmupSeconds) },
            ],
        });
    }

    private static async Task<ExecuteCommandResult> RunAsync(ExecuteCommandContext context, IResourceBuilder<ProjectResource> loadgen, RunKind kind)
    {
        RunRequest request;
        try
        {
            request = Request(kind, context.Arguments);
        }
        catch (FormatException e)
        {
            return CommandResults.Failure(e.Message);
        }
        using var http = loadgen.ControlClient();
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        try
        {
            using var started = await http.PostAsJsonAsync(RunRequest.Path, request, ControlJsonContext.Default.RunRequest, context.CancellationToken);
            if (!started.IsSuccessStatusCode)
            {
                var refusal = await started.Content.ReadFromJsonAsync(ControlJsonContext.Default.Refusal, context.CancellationToken);
                return CommandResults.Failure(refusal?.Detail ?? $"the load generator answered {(int)started.StatusCode}");
            }
            var status = await started.Content.ReadFromJsonAsync(ControlJsonContext.Default.RunStatus, context.CancellationToken);
            while (status is { State: RunState.Running })
            {
                await Task.Delay(TimeSpan.FromSeconds(1), context.CancellationToken);
                status = await http.GetFromJsonAsync($"{RunRequest.Path}/{status.Id}", ControlJsonContext.Default.RunStatus, context.CancellationToken);
                await ShowAsync(notifications, loadgen.Resource, $"{kind.Name()}: {status?.Progress}", KnownResourceStateStyles.Info);
            }
            return status is { State: RunState.Succeeded }
                ? CommandResults.Success($"{kind.Name()} done. Report: {status.ReportDirectory}", status.Markdown ?? "", CommandResultFormat.Markdown, displayImmediately: true)
                : CommandResults.Failure($"{kind.Name()} failed: {status?.Error}");
        }
        catch (HttpRequestException e)
        {
            return CommandResults.Failure($"the load generator is not reachable: {e.Message}");
        }
        finally
        {
            await ShowAsync(notifications, loadgen.Resource, KnownResourceStates.Running, KnownResourceStateStyles.Success);
        }
    }

    /// <summary>The command's arguments as a run request; an empty one takes the request's default.</summary>
    private static RunRequest Request(RunKind kind, InteractionInputCollection arguments)
    {
        double? Number(string name)
        {
            var text = arguments.ContainsName(name) ? arguments.GetString(name) : null;
            if (string.IsNullOrWhiteSpace(text)) return null;
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new FormatException($"{name} must be a number, got '{text}'");
        }

        var defaults = new RunRequest(kind);
        return defaults with
        {
            DurationSeconds = Number("duration") ?? defaults.DurationSeconds,
            Concurrency = (int)(Number("concurrency") ?? defaults.Concurrency),
            Sizes = arguments.ContainsName("size") ? arguments.GetString("size") ?? defaults.Sizes : defaults.Sizes,
            Rate = Number("rate"),
            WarmupSeconds = Number("warmup") ?? defaults.WarmupSeconds,
        };
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static Task ShowAsync(ResourceNotificationService notifications, IResource resource, string state, string style) =>
        notifications.PublishUpdateAsync(resource, s => s with { State = new ResourceStateSnapshot(state, style) });
}
