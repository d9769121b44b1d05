using Microsoft.Extensions.Configuration;

namespace ServiceDefaults;

public enum ChainTransport { Rest, Grpc }

/// <summary>The "Chain" configuration section: what the AppHost tells each service about its place in the chain.</summary>
public sealed class ChainOptions
{
    public const string Section = "Chain";

    public ChainTransport Transport { get; set; } = ChainTransport.Rest;

    /// <summary>The service this one calls, as a service-discovery URI (e.g. <c>http://producer-rest</c>); none for the producer.</summary>
    public string? Downstream { get; set; }

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

    /// <summary>The downstream's resource name, for messages: <c>http://_grpc.producer-grpc</c> is producer-grpc.</summary>
    public string DownstreamName
    {
        get
        {
            var host = RequireDownstream().Host;
            return host.StartsWith('_') && host.IndexOf('.') is > 0 and var dot ? host[(dot + 1)..] : host;
        }
    }

    public static ChainOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ChainOptions>() ?? new ChainOptions();

    public Uri RequireDownstream() =>
        Uri.TryCreate(Downstream, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"{Section}:Downstream must be an absolute URI such as http://producer-rest, got '{Downstream}'.");
}
