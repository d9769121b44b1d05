using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace AppHost;

/// <summary>
/// The load generator as a resource, and the dashboard commands that drive it. The commands hand the run to the
/// load generator's control API with a token made at start-up, follow it in the resource's state, and show the result table.
/// </summary>
public static class LoadCommands
{
    public const string Compare = "compare";

    public static IResourceBuilder<ProjectResource> AddLoadGenerator(this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> restEdge, IResourceBuilder<ProjectResource> grpcEdge, params IResourceBuilder<ProjectResource>[] services)
    {
        var loadgen = builder.AddProject<Projects.LoadGenerator>("loadgen")
            .WithArgs("serve")
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            .WithTelemetry(builder.Configuration)
            .WithEnvironment("LoadGen__ControlToken", ControlToken.Value)
            // Reports go to results/ beside the solution unless --ResultsDirectory says otherwise.
            .WithEnvironment("LoadGen__ResultsDirectory", Path.GetFullPath(builder.Configuration["ResultsDirectory"] ?? Path.Combine(builder.AppHostDirectory, "..", "results")))
            .WithEnvironment("LoadGen__Rest", ReferenceExpression.Create($"{restEdge.GetEndpoint("http")}/aggregate"))
            .WithEnvironment("LoadGen__Grpc", grpcEdge.GetEndpoint("grpc"))
            .WaitFor(restEdge)
            .WaitFor(grpcEdge);
        foreach (var service in services)
        {
            loadgen.WithEnvironment($"LoadGen__Stats__{service.Resource.Name}", service.GetEndpoint("http"));
        }
        return loadgen.WithLoadCommand(loadgen, Compare, "Compare REST vs gRPC", "REST, gRPC with a stream per request, gRPC with shared streams and the streaming edge, one after another");
    }

    /// <summary>A command on <paramref name="resource"/> that runs <paramref name="kind"/> on the load generator.</summary>
    public static IResourceBuilder<ProjectResource> WithLoadCommand(this IResourceBuilder<ProjectResource> resource,
        IResourceBuilder<ProjectResource> loadgen, string kind, string displayName, string description) =>
        resource.WithCommand($"load-{kind}", displayName, context => RunAsync(context, loadgen, kind), new CommandOptions
        {
            Description = description,
            IconName = kind == Compare ? "DataBarVertical" : "Play",
            IsHighlighted = true,
            Arguments =
            [
                new() { Name = "duration", Label = "Seconds measured per run", InputType = InputType.Number, Value = "10", Required = true },
                new() { Name = "concurrency", Label = "Concurrency (requests in flight)", InputType = InputType.Number, Value = "50", Required = true },
                new() { Name = "size", Label = "Records per batch (a comma list sweeps sizes)", InputType = InputType.Text, Value = "10", Required = true },
                new() { Name = "rate", Label = "Open loop: requests per second (empty: closed loop)", InputType = InputType.Number },
                new() { Name = "warmup", Label = "Warm-up seconds (not measured)", InputType = InputType.Number, Value = "2" },
            ],
        });

    private static async Task<ExecuteCommandResult> RunAsync(ExecuteCommandContext context, IResourceBuilder<ProjectResource> loadgen, string kind)
    {
        double? Number(string name)
        {
            var text = context.Arguments.ContainsName(name) ? context.Arguments.GetString(name) : null;
            if (string.IsNullOrWhiteSpace(text)) return null;
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new FormatException($"{name} must be a number, got '{text}'");
        }

        Dictionary<string, object?> request;
        try
        {
            request = new()
            {
                ["kind"] = kind,
                ["durationSeconds"] = Number("duration") ?? 10,
                ["concurrency"] = (int)(Number("concurrency") ?? 50),
                ["sizes"] = context.Arguments.ContainsName("size") ? context.Arguments.GetString("size") ?? "10" : "10",
                ["rate"] = Number("rate"),
                ["warmupSeconds"] = Number("warmup") ?? 2,
            };
        }
        catch (FormatException e)
        {
            return CommandResults.Failure(e.Message);
        }
        using var http = new HttpClient { BaseAddress = new Uri(loadgen.GetEndpoint("http").Url) };
        http.DefaultRequestHeaders.Add(ControlToken.Header, ControlToken.Value);
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        try
        {
            using var started = await http.PostAsJsonAsync("/runs", request, context.CancellationToken);
            var status = await started.Content.ReadFromJsonAsync<JsonElement>(context.CancellationToken);
            if (!started.IsSuccessStatusCode) return CommandResults.Failure(Text(status, "detail") ?? $"the load generator answered {(int)started.StatusCode}");

            var id = Text(status, "id");
            while (Text(status, "state") == "running")
            {
                await Task.Delay(TimeSpan.FromSeconds(1), context.CancellationToken);
                status = await http.GetFromJsonAsync<JsonElement>($"/runs/{id}", context.CancellationToken);
                await ShowAsync(notifications, loadgen.Resource, $"{kind}: {Text(status, "progress")}", KnownResourceStateStyles.Info);
            }
            return Text(status, "state") == "succeeded"
                ? CommandResults.Success($"{kind} done. Report: {Text(status, "reportDirectory")}", Text(status, "markdown") ?? "", CommandResultFormat.Markdown, displayImmediately: true)
                : CommandResults.Failure($"{kind} failed: {Text(status, "error")}");
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

    private static Task ShowAsync(ResourceNotificationService notifications, IResource resource, string state, string style) =>
        notifications.PublishUpdateAsync(resource, s => s with { State = new ResourceStateSnapshot(state, style) });

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
