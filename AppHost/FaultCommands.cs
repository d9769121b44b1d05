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
            .WithCommand(SetDelay, "Slow down", context => SetAsync(context, role), new CommandOptions
            {
                Description = "Add a delay to every request this service serves (0 turns it off); callers' deadlines cancel it",
                IconName = "Timer",
                Arguments =
                [
                    new() { Name = "ms", Label = "Delay per request, milliseconds (0: off)", InputType = InputType.Number, Value = "0", Required = true },
                ],
            });

    private static async Task<ExecuteCommandResult> SetAsync(ExecuteCommandContext context, IResourceBuilder<ProjectResource> role)
    {
        var ms = context.Arguments.ContainsName("ms") ? context.Arguments.GetString("ms") : null;
        using var http = role.ControlClient();
        try
        {
            using var response = await http.PutAsync($"/admin/delay?ms={Uri.EscapeDataString(ms ?? "")}", null, context.CancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(context.CancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return CommandResults.Failure(body.TryGetProperty("detail", out var detail) ? detail.GetString() : $"{role.Resource.Name} answered {(int)response.StatusCode}");
            }
            var now = body.GetProperty("ms").GetInt64();
            return CommandResults.Success(now == 0
                ? $"{role.Resource.Name} answers without delay"
                : $"{role.Resource.Name} now waits {now.ToString(CultureInfo.InvariantCulture)} ms per request");
        }
        catch (HttpRequestException e)
        {
            return CommandResults.Failure($"{role.Resource.Name} is not reachable: {e.Message}");
        }
    }
}
