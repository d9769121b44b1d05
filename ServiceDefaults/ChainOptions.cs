using Microsoft.Extensions.Configuration;

namespace ServiceDefaults;

public enum ChainTransport { Rest, Grpc }

/// <summary>The "Chain" configuration section: what the AppHost tells each service about its place in the chain.</summary>
public sealed class ChainOptions
{
    public const string Section = "Chain";

    public ChainTransport Transport { get; set; } = ChainTransport.Rest;

    /// <summary>The service this one calls, by resource name (e.g. <c>producer-grpc</c>), which its failures quote; none for the producer.</summary>
    public string? Downstream { get; set; }

    /// <summary>Which endpoint of <see cref="Downstream"/> this one calls: <c>grpc</c> for a gRPC role, else <c>http</c>.</summary>
    public string DownstreamEndpoint { get; set; } = "http";

    /// <summary>A REST service's HTTP/2 endpoint (prior knowledge, cleartext), beside its HTTP/1.1 <c>http</c> one.</summary>
    public const string H2cEndpoint = "h2c";

    public StreamMode StreamMode { get; set; } = StreamMode.Shared;

    /// <summary>Streams per shared bidi hop; each is one writer and one reader.</summary>
    public int SharedStreams { get; set; } = 4;

    /// <summary>Deadline of one request on a hop when the caller set none.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The fault knob's delay per request at start (see <see cref="InjectedDelay"/>); none by default.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>The AppHost's token for the admin endpoints; without one they are not mapped.</summary>
    public string? ControlToken { get; set; }

    /// <summary>Messages of one bidi stream handled at once by a server; more wait in the stream (back-pressure).</summary>
    public int MaxInFlightPerStream { get; set; } = 1024;

    /// <summary>
    /// gRPC's own client-side balancing of a gRPC hop, by its policy name: <c>round_robin</c> dials <c>dns:///HOST:PORT</c>
    /// of the downstream's configured address, connects to every address the name resolves to (a Kubernetes headless
    /// Service's pods) and spreads calls over them. Unset, service discovery picks one configured address per call.
    /// </summary>
    public string? GrpcLoadBalancing { get; set; }

    /// <summary>Requests (or answers) a batched stream's writer packs in one message at most.</summary>
    public int MaxBatch { get; set; } = 64;

    public static ChainOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ChainOptions>() ?? new ChainOptions();

    /// <summary>
    /// The downstream's name, and the address service discovery resolves (<c>http://_grpc.producer-grpc</c> is the
    /// endpoint named grpc of producer-grpc); a role that calls one can't start without it.
    /// </summary>
    /// <param name="endpoint">Another endpoint of the downstream than <see cref="DownstreamEndpoint"/>, such as <see cref="H2cEndpoint"/>.</param>
    public (string Name, Uri Address) RequireDownstream(string? endpoint = null) =>
        Downstream is { Length: > 0 } name && Uri.TryCreate($"http://_{endpoint ?? DownstreamEndpoint}.{name}", UriKind.Absolute, out var address)
            ? (name, address)
            : throw new InvalidOperationException($"{Section}:Downstream must name the service this one calls, such as producer-grpc; got '{Downstream}'.");
}
