using System.Text.Json;
using LoadGenerator.Runs;
using Protos.Control;
using ServiceDefaults;

namespace LoadGenerator.Serve;

/// <summary>
/// The load generator as an AppHost resource: its metrics reach the dashboard, and runs are started over a small HTTP
/// API on loopback that only the AppHost can use (it holds the token it handed this process at start). Reports are
/// served read-only under <c>/results</c>.
/// </summary>
public static class ControlApi
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(LoadMetrics.MeterName));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ControlJsonContext.Default));
        builder.Services.AddSingleton(RunCoordinator.FromConfiguration(builder.Configuration));
        builder.Services.AddHostedService(services => services.GetRequiredService<RunCoordinator>());

        var app = builder.Build();
        app.MapDefaultEndpoints();
        var token = app.Configuration["LoadGen:ControlToken"]
            ?? throw new InvalidOperationException("LoadGen:ControlToken is not set: serve mode is started by the AppHost.");
        var runs = app.MapGroup(RunRequest.Path).RequireControlToken(token, "a run is started from the Aspire dashboard or CLI, which hold the control token");
        runs.MapPost("/", async (HttpRequest http, RunCoordinator coordinator) => await ReadRunAsync(http) switch
        {
            (RunRequest request, _) => coordinator.Start(request),
            (_, var error) => TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid run"),
        });
        runs.MapGet("/{id}", (string id, RunCoordinator coordinator) =>
            coordinator.Find(id) is { } status ? Results.Ok(status) : TypedResults.Problem($"no run '{id}'", statusCode: StatusCodes.Status404NotFound));
        runs.MapDelete("/{id}", async (string id, RunCoordinator coordinator) =>
            await coordinator.CancelAsync(id) is { } status ? Results.Ok(status) : TypedResults.Problem($"no run '{id}'", statusCode: StatusCodes.Status404NotFound));
        app.UseServedResults(app.Services.GetRequiredService<RunCoordinator>().ResultsDirectory, token);
        await app.RunAsync();
        return 0;
    }

    /// <summary>The body is read here, after the token check, not by binding: an unreadable one is answered saying what was wrong with it.</summary>
    private static async Task<(RunRequest? Request, string Error)> ReadRunAsync(HttpRequest http)
    {
        try
        {
            return await http.ReadFromJsonAsync(ControlJsonContext.Default.RunRequest) is { } request
                ? (request, "")
                : (null, "the body must be a run request, got null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (null, $"the body is not a run request: {e.Message}");
        }
    }
}
