using Microsoft.Extensions.Configuration;

namespace AppHost;

public enum Transport { Rest, Grpc }

/// <summary>How a role of the chain becomes a resource: one project, started once per transport, on a fixed port.</summary>
public static class ChainRoles
{
    private const string GrpcEndpoint = "grpc";
    private const string HttpEndpoint = "http";
    private const string H2cEndpoint = "h2c";

    /// <summary>
    /// Adds one service of a chain. Its ports are fixed (override with <c>--Ports:name=port</c>, <c>--Ports:name-http=port</c>
    /// for a gRPC service's HTTP/1.1 side, <c>--Ports:name-h2c=port</c> for a REST service's HTTP/2 side) and not proxied:
    /// the original's commands reach the service itself, the load generator finds its counts at a known address, and a
    /// proxy's CPU would be nobody's.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddRole<TProject>(this IDistributedApplicationBuilder builder,
        string name, Transport transport, int port, int? httpPort = null, int? h2cPort = null)
        where TProject : IProjectMetadata, new()
    {
        var role = builder.AddProject<TProject>(name).WithEnvironment("Chain__Transport", transport.ToString())
            .WithTelemetry(builder.Configuration).WithGen0Budget();
        // Runtime and library switches for every service alike, such as --ServiceEnvironment:DOTNET_gcServer=0: how a lever is A/B tested.
        foreach (var variable in builder.Configuration.GetSection("ServiceEnvironment").GetChildren())
        {
            role.WithEnvironment(variable.Key, variable.Value ?? "");
        }
        if (transport is Transport.Rest)
        {
            // HTTP/2 with prior knowledge needs an Http2-only endpoint: on cleartext, Kestrel's Http1AndHttp2 serves only HTTP/1.1.
            role.WithFixedEndpoint(HttpEndpoint, builder.Port(name, port), "Http1")
                .WithFixedEndpoint(H2cEndpoint, builder.Port($"{name}-h2c", h2cPort ?? port + 100), "Http2")
                .InDetailsOnly(H2cEndpoint);
        }
        else
        {
            // gRPC over plain HTTP/2 needs an Http2-only endpoint, which can't answer the HTTP/1.1 health probes,
            // so health and stats get a second endpoint of their own.
            role.WithFixedEndpoint(GrpcEndpoint, builder.Port(name, port), "Http2")
                .WithFixedEndpoint(HttpEndpoint, builder.Port($"{name}-http", httpPort ?? port + 100), "Http1")
                .InDetailsOnly(GrpcEndpoint);
            // How the gRPC roles use their bidi hops when a call doesn't say: Shared (default) or PerRequest.
            if (builder.Configuration["StreamMode"] is { Length: > 0 } mode) role.WithEnvironment("Chain__StreamMode", mode);
        }
        return role.WithHttpHealthCheck("/health", endpointName: HttpEndpoint);
    }

    /// <summary>
    /// Telemetry the same on every service, and light enough to stay out of the measurement (issue #11). Aspire traces
    /// every request and exports metrics every second in Development; the dashboard storing all that took up to a core
    /// from the runs it showed, and a third of what was left when idle. So: at most 5 new traces a second
    /// (<c>--TraceSampling 1</c> traces all, <c>0.01</c> a share, <c>0</c> none) and metrics every 2 s (<c>--MetricInterval 1000</c>).
    /// <c>--Telemetry full|sampled|metrics|off</c> starts every service in that mode (default sampled); a telemetry sweep switches it per row.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTelemetry(this IResourceBuilder<ProjectResource> resource, IConfiguration configuration) =>
        resource.WithEnvironment("Chain__TraceSampling", configuration["TraceSampling"] is { Length: > 0 } sampling ? sampling : DefaultTraceSampling)
            .WithEnvironment("Chain__Telemetry", configuration["Telemetry"] is { Length: > 0 } mode ? mode : "sampled")
            .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", configuration["MetricInterval"] is { Length: > 0 } interval ? interval : DefaultMetricInterval);

    /// <summary>
    /// A gen0 budget of 64 MiB for every service and the load generator. The runtime sizes it from the CPU's cache, which
    /// on these VMs meant a gen0 collection every ~2 MB allocated (hundreds a second under load), each one stopping every
    /// thread: about 7% of a chain's CPU per request and 15% of the load generator's (docs/results/2026-12-03-levers). Only an
    /// environment variable sets it; the runtime reads no runtimeconfig.json knob for it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGen0Budget(this IResourceBuilder<ProjectResource> resource) =>
        resource.WithEnvironment(Gen0BudgetVariable, Gen0Budget);

    public const string Gen0BudgetVariable = "DOTNET_GCgen0size";
    public const string Gen0Budget = "0x4000000";

    public const string DefaultTraceSampling = "5/s";
    public const string DefaultMetricInterval = "2000";

    private static int Port(this IDistributedApplicationBuilder builder, string key, int fallback) =>
        builder.Configuration.GetValue<int?>($"Ports:{key}") ?? fallback;

    /// <summary>
    /// Points a role at the one it calls: by name and endpoint, found through service discovery, and it starts once that
    /// one is healthy. A REST role knows both of its downstream's endpoints: each request goes on over the HTTP version it came on.
    /// </summary>
    public static IResourceBuilder<ProjectResource> CallingDownstream(this IResourceBuilder<ProjectResource> role,
        IResourceBuilder<ProjectResource> downstream)
    {
        var endpoints = downstream.Resource.Annotations.OfType<EndpointAnnotation>().Select(e => e.Name).ToList();
        var endpoint = endpoints.Contains(GrpcEndpoint) ? GrpcEndpoint : HttpEndpoint;
        if (endpoints.Contains(H2cEndpoint)) role.WithReference(downstream.GetEndpoint(H2cEndpoint));
        return role
            .WithReference(downstream.GetEndpoint(endpoint))
            .WithEnvironment("Chain__Downstream", downstream.Resource.Name)
            .WithEnvironment("Chain__DownstreamEndpoint", endpoint)
            .WaitFor(downstream);
    }

    /// <summary>
    /// The chain as one group in the dashboard: its edge, the service a caller sees, with the services behind it as children.
    /// </summary>
    public static IResourceBuilder<ProjectResource> Fronting(this IResourceBuilder<ProjectResource> edge, params IResourceBuilder<ProjectResource>[] behind)
    {
        foreach (var member in behind) member.WithParentRelationship(edge);
        return edge;
    }

    /// <summary>A cleartext HTTP/2 endpoint is listed in the resource's details, not as a link: a browser can't speak h2c with prior knowledge.</summary>
    private static IResourceBuilder<ProjectResource> InDetailsOnly(this IResourceBuilder<ProjectResource> role, string endpoint) =>
        role.WithUrlForEndpoint(endpoint, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);

    /// <summary>An unproxied endpoint on a fixed port, bound by Kestrel with the given protocols (named Kestrel endpoints replace ASPNETCORE_URLS).</summary>
    private static IResourceBuilder<ProjectResource> WithFixedEndpoint(this IResourceBuilder<ProjectResource> role,
        string name, int port, string protocols) =>
        role.WithHttpEndpoint(port: port, targetPort: port, name: name, isProxied: false)
            .WithEnvironment($"Kestrel__Endpoints__{name}__Url", "http://localhost:" + port)
            .WithEnvironment($"Kestrel__Endpoints__{name}__Protocols", protocols);
}
