using Protos;
using ServiceDefaults;
using ServiceDefaults.Wire;
using ServiceDefaults.Rest;

namespace LoadGenerator.Targets;

/// <summary>
/// GET /aggregate over HTTP/1.1 (with keep-alive a pool of reused connections, without it a new TCP connection per
/// request, ab's default) or over HTTP/2 with prior knowledge on one multiplexed connection; the answer asked for and
/// checked in JSON or protobuf.
/// </summary>
public sealed class RestTarget : ILoadTarget
{
    private readonly HttpClient http;
    private readonly Uri url;
    private readonly LoadSettings settings;
    private readonly Version version;
    private readonly RestEncoding encoding;

    public RestTarget(LoadSettings settings)
    {
        this.settings = settings;
        version = (settings.HttpVersion ?? RestHttpVersion.Http11).ToVersion();
        encoding = settings.Encoding ?? RestEncoding.Json;
        url = settings.Target == TargetKind.RestNoop
            ? new Uri(settings.Address, Ceiling.RestPath)
            : new UriBuilder(settings.Address) { Query = new BatchSpec(settings.Seed, settings.Size).ToQuery() }.Uri;
        http = new HttpClient(WireCounting.Handler(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.KeepAlive ? Math.Max(1, settings.Connections) : int.MaxValue,
            // HTTP/2: every request on the one connection, waiting for a free stream rather than opening another.
            EnableMultipleHttp2Connections = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            // A redirect is an answer to count, as ab and ghz count it, and one handler fewer per request.
            AllowAutoRedirect = false,
            ActivityHeadersPropagator = LoadTargets.NoTraceContext,
        }))
        { Timeout = settings.Timeout };
        // The chain gives up when this client does, as a gRPC deadline would make it.
        http.DefaultRequestHeaders.TryAddWithoutValidation(RequestBudget.Header, ((long)settings.Timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public string Shape(LoadSettings run) => run.HttpVersion is RestHttpVersion.Http2
        ? "HTTP/2 (h2c), 1 connection"
        : run.KeepAlive
            ? $"HTTP/1.1, {Counted.Of(run.Connections, "keep-alive connection")}"
            : "HTTP/1.1, a new connection per request";

    public async ValueTask<string?> SendAsync(CancellationToken ct)
    {
        // The exact version: HTTP/2 with prior knowledge (no upgrade, no fallback), or HTTP/1.1.
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (!settings.KeepAlive && settings.HttpVersion is not RestHttpVersion.Http2) request.Headers.ConnectionClose = true;
        encoding.Ask(request);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode) return $"HTTP {(int)response.StatusCode}";
            if (settings.Target == TargetKind.RestNoop) return null;
            var answer = await encoding.ReadAggregateAsync(response.Content, ct);
            return answer.Count == settings.Size ? null : "wrong answer";
        }
        catch (HttpRequestException)
        {
            return "connection";
        }
        catch (InvalidDataException)
        {
            return "malformed answer";
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
