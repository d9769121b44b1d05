using Microsoft.Extensions.Configuration;

namespace AppHost;

public enum Transport { Rest, Grpc }

/// <summary>How a role of the chain becomes a resource: one project, started once per transport, on a fixed port.</summary>
public static class ChainRoles
{
    private const string GrpcEndpoint = "grpc";
    private const string HttpEndpoint = "http";

    /// <summary>
    /// Adds one service of a chain. Its port is fixed (override with <c>--Ports:name=port</c>) and not proxied: the
    /// seed's commands reach the service itself, and a proxy's CPU would belong to no service in the figures.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddRole<TProject>(this IDistributedApplicationBuilder builder,
        string name, Transport transport, int defaultPort)
        where TProject : IProjectMetadata, new()
    {
        var port = builder.Configuration.GetValue<int?>($"Ports:{name}") ?? defaultPort;
        var role = builder.AddProject<TProject>(name).WithEnvironment("Chain__Transport", transport.ToString());
        if (transport is Transport.Rest)
        {
            role.WithHttpEndpoint(port: port, targetPort: port, name: HttpEndpoint, isProxied: false)
                .WithKestrelEndpoint(HttpEndpoint, "Http1");
        }
        else
        {
            // gRPC over plain HTTP/2 needs an Http2-only endpoint, which can't answer the HTTP/1.1 health probes,
            // so health and stats get a second endpoint of their own.
            // Shared (default) or PerRequest bidi streams between the gRPC roles: --StreamMode PerRequest.
            if (builder.Configuration["StreamMode"] is { Length: > 0 } mode) role.WithEnvironment("Chain__StreamMode", mode);
            role.WithHttpEndpoint(port: port, targetPort: port, name: GrpcEndpoint, isProxied: false)
                .WithKestrelEndpoint(GrpcEndpoint, "Http2")
                .WithHttpEndpoint(name: HttpEndpoint)
                .WithKestrelEndpoint(HttpEndpoint, "Http1");
        }
        return role.WithHttpHealthCheck("/health", endpointName: HttpEndpoint);
    }

    /// <summary>Points a role at the one it calls: service discovery for the address, and it starts once that one is healthy.</summary>
    public static IResourceBuilder<ProjectResource> CallingDownstream(this IResourceBuilder<ProjectResource> role,
        IResourceBuilder<ProjectResource> downstream)
    {
        var name = downstream.Resource.Name;
        var grpc = downstream.Resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == GrpcEndpoint);
        return role
            .WithReference(downstream.GetEndpoint(grpc ? GrpcEndpoint : HttpEndpoint))
            // "_grpc." asks service discovery for the endpoint named grpc rather than the default one.
            .WithEnvironment("Chain__Downstream", grpc ? $"http://_{GrpcEndpoint}.{name}" : $"http://{name}")
            .WaitFor(downstream);
    }

    /// <summary>Binds a Kestrel endpoint with its protocols; named Kestrel endpoints replace ASPNETCORE_URLS.</summary>
    private static IResourceBuilder<ProjectResource> WithKestrelEndpoint(this IResourceBuilder<ProjectResource> role,
        string name, string protocols)
    {
        var endpoint = role.GetEndpoint(name);
        return role.WithEnvironment(context =>
        {
            context.EnvironmentVariables[$"Kestrel__Endpoints__{name}__Url"] =
                ReferenceExpression.Create($"http://localhost:{endpoint.Property(EndpointProperty.TargetPort)}");
            context.EnvironmentVariables[$"Kestrel__Endpoints__{name}__Protocols"] = protocols;
        });
    }
}
