using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace AppHost;

/// <summary>The fault knob as a dashboard command: a producer that answers late, to watch deadlines and recovery live.</summary>
public static class FaultCommands
{
    public const string SetDelay = "set-delay";

    public static IResourceBuilder<ProjectResource> WithDelayCommand(this IResourceBuilder<ProjectResource> role) =>
        role.WithControlToken("Chain__ControlToken")
            .WithHttpCommand("/admin/delay", "Slow down", endpointName: "http", commandName: SetDelay, commandOptions: new HttpCommandOptions
            {
                Description = "Add a delay to every request this service serves (0 turns it off); callers' deadlines cancel it",
                IconName = "Timer",
                Method = HttpMethod.Put,
                Arguments =
                [
                    new() { Name = "ms", Label = "Delay per request, milliseconds (0: off)", InputType = InputType.Number, Value = "0", Required = true },
                ],
                PrepareRequest = context =>
                {
                    var ms = context.Arguments.GetString("ms") ?? "";
                    context.Request.RequestUri = new UriBuilder(context.Request.RequestUri!) { Query = $"ms={Uri.EscapeDataString(ms)}" }.Uri;
                    context.Request.WithControlToken();
                    return Task.CompletedTask;
                },
                GetCommandResult = context => ResultAsync(context, role.Resource.Name),
            });

    /// <summary>The service's answer as the dashboard's message: the delay now in force, or its reason for refusing.</summary>
    private static async Task<ExecuteCommandResult> ResultAsync(HttpCommandResultContext context, string service)
    {
        var body = await context.Response.Content.ReadFromJsonAsync<JsonElement>(context.CancellationToken);
        if (!context.Response.IsSuccessStatusCode)
        {
            return CommandResults.Failure(body.TryGetProperty("detail", out var detail) ? detail.GetString()! : $"{service} answered {(int)context.Response.StatusCode}");
        }
        var now = body.GetProperty("ms").GetInt64();
        return CommandResults.Success(now == 0
            ? $"{service} answers without delay"
            : $"{service} now waits {now.ToString(CultureInfo.InvariantCulture)} ms per request");
    }
}
