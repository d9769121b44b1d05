using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Protos.Json;
using ServiceDefaults.Hops;
using ServiceDefaults.Wire;

namespace ServiceDefaults;

/// <summary>The two ways a role serves its callers; <c>Chain:Transport</c> picks one per process.</summary>
public static class TransportRegistration
{
    public const int MaxRequestBytes = 64 * 1024;

    public static ChainOptions AddChainTransport(this WebApplicationBuilder builder)
    {
        var chain = ChainOptions.From(builder.Configuration);
        builder.Services.AddSingleton(chain);
        builder.Services.AddSingleton<InjectedDelay>();
        // Kestrel's socket transport as configured under Chain:Sockets (UnsafePreferInlineScheduling, WaitForDataBeforeAllocatingBuffer, …): levers to A/B.
        builder.WebHost.UseSockets(sockets => builder.Configuration.GetSection("Chain:Sockets").Bind(sockets));
        // Requests are a seed and a size: anything big is not one of ours, and is refused before it costs memory.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
            // Bytes on the wire, and open connections, counted for /stats: a soak or an overload shows whether they pile up.
            kestrel.ConfigureEndpointDefaults(listen => listen.UseWireCounting().Use(next => async connection =>
            {
                ChainMetrics.ConnectionOpened();
                try
                {
                    await next(connection);
                }
                finally
                {
                    ChainMetrics.ConnectionClosed();
                }
            }));
        });
        if (chain.Transport is ChainTransport.Grpc)
        {
            builder.Services.AddGrpc(grpc =>
            {
                grpc.MaxReceiveMessageSize = MaxRequestBytes;
                // grpc-dotnet decodes a unary request before any of our code runs, and answers an undecodable one with
                // Unknown "Exception was thrown by handler."; detailed errors add what was wrong with it.
                grpc.EnableDetailedErrors = true;
                grpc.Interceptors.Add<UnaryCallCounting>();
            });
            builder.Services.AddSingleton(new UnaryCallCounting(ChainMetrics.Requests, ChainMetrics.Noops));
            builder.Services.AddGrpcReflection();
            // The standard grpc.health.v1 service on the gRPC port, from the same checks as /health: what a gRPC-aware probe asks.
            builder.Services.AddGrpcHealthChecks();
            builder.Services.AddSingleton<DuplexPump>();
        }
        else
        {
            builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ChainJsonContext.Default));
            builder.Services.AddProblemDetails();
        }
        return chain;
    }
}
