using System.Net.Http.Json;
using Protos.Control;

namespace AppHost;

/// <summary>The load generator's control API as the load commands call it: every call carries the control token.</summary>
public sealed class LoadControl(HttpClient http, Uri loadgen)
{
    /// <summary>How long a cancelled run may take to stop before the command stops waiting for it.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts a run: its status, or why the load generator refused it.</summary>
    public async Task<(RunStatus? Status, string Refusal)> StartAsync(RunRequest request, CancellationToken ct)
    {
        using var started = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(loadgen, RunRequest.Path))
        {
            Content = JsonContent.Create(request, ControlJsonContext.Default.RunRequest),
        }.WithControlToken(), ct);
        if (started.IsSuccessStatusCode) return (await started.Content.ReadFromJsonAsync(ControlJsonContext.Default.RunStatus, ct), "");
        var refusal = await started.Content.ReadFromJsonAsync(ControlJsonContext.Default.Refusal, ct);
        return (null, refusal?.Detail ?? $"the load generator answered {(int)started.StatusCode}");
    }

    public Task<RunStatus> FindAsync(string id, CancellationToken ct) => SendAsync(HttpMethod.Get, id, ct);

    /// <summary>Stops the run and waits until it has: not under the command's token, which is the one just cancelled.</summary>
    public async Task<RunStatus> CancelAsync(string id)
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        return await SendAsync(HttpMethod.Delete, id, timeout.Token);
    }

    private async Task<RunStatus> SendAsync(HttpMethod method, string id, CancellationToken ct)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(method, new Uri(loadgen, $"{RunRequest.Path}/{id}")).WithControlToken(), ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(ControlJsonContext.Default.RunStatus, ct))!;
    }
}
