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

    /// <summary>The endpoint of <see cref="Downstream"/> this one calls (e.g. <c>http://localhost:50051</c>): its gRPC one for a gRPC role.</summary>
    public string? DownstreamUrl { get; set; }

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

    public static ChainOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ChainOptions>() ?? new ChainOptions();

    /// <summary>The downstream's name and URL: a role that calls one can't start without both.</summary>
    public (string Name, Uri Url) RequireDownstream() =>
        Downstream is { Length: > 0 } name && Uri.TryCreate(DownstreamUrl, UriKind.Absolute, out var url)
            ? (name, url)
            : throw new InvalidOperationException($"{Section}:Downstream and {Section}:DownstreamUrl must name the service this one calls and its " +
                $"absolute URL, such as producer-grpc and http://localhost:50051; got '{Downstream}' and '{DownstreamUrl}'.");
}
