using System.Net.Http.Json;
using Protos;
using Protos.Json;
using ServiceDefaults;
using ServiceDefaults.Wire;

namespace LoadGenerator.Targets;

/// <summary>GET /aggregate over HTTP/1.1: with keep-alive a pool of reused connections, without it a new TCP connection per request (ab's default).</summary>
public sealed class RestTarget : ILoadTarget
{
    private readonly HttpClient http;
    private readonly Uri url;
    private readonly LoadSettings settings;

    public RestTarget(LoadSettings settings)
    {
        this.settings = settings;
        url = settings.Target == TargetKind.RestNoop
            ? new Uri(settings.Address, Ceiling.RestPath)
            : new UriBuilder(settings.Address) { Query = new BatchSpec(settings.Seed, settings.Size).ToQuery() }.Uri;
        http = new HttpClient(WireCounting.Handler(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.KeepAlive ? Math.Max(1, settings.Connections) : int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            ActivityHeadersPropagator = LoadTargets.NoTraceContext,
        }))
        { Timeout = settings.Timeout };
        // The chain gives up when this client does, as a gRPC deadline would make it.
        http.DefaultRequestHeaders.TryAddWithoutValidation(RequestBudget.Header, ((long)settings.Timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public string Shape(LoadSettings run) => run.KeepAlive
        ? $"HTTP/1.1, {Counted.Of(run.Connections, "keep-alive connection")}"
        : "HTTP/1.1, a new connection per request";

    public async ValueTask<string?> SendAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!settings.KeepAlive) request.Headers.ConnectionClose = true;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode) return $"HTTP {(int)response.StatusCode}";
            if (settings.Target == TargetKind.RestNoop) return null;
            var answer = await response.Content.ReadFromJsonAsync(ChainJsonContext.Default.AggregateJson, ct);
            return answer?.Count == settings.Size ? null : "wrong answer";
        }
        catch (HttpRequestException)
        {
            return "connection";
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return "timeout";
        }
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }
}
