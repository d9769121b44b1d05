using Grpc.Core;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Protos;
using ServiceDefaults.Wire;

namespace ServiceDefaults.Hops;

/// <summary>Wires a service to its downstream (<c>Chain:Downstream</c>, found through service discovery) over its transport.</summary>
public static class HopRegistration
{
    /// <summary>
    /// REST: a typed, pooled keep-alive client, no resilience pipeline. With retries off (a retried request is served
    /// twice downstream, and failures would hide) it only added a circuit breaker and a rate limiter, for about a quarter
    /// of the chain's CPU per request (issue #6). The deadline is the request's <see cref="RequestBudget"/>, and every failure is a 502 or 504 naming the service.
    /// </summary>
    public static IHostApplicationBuilder AddRestHop(this IHostApplicationBuilder builder)
    {
        var (target, address) = ChainOptions.From(builder.Configuration).RequireDownstream();
        builder.Services.AddHttpClient(nameof(RestHop), http =>
        {
            http.BaseAddress = address;
            // The request's budget bounds headers and body; HttpClient's own timeout would cover the headers only.
            http.Timeout = Timeout.InfiniteTimeSpan;
        })
        // This client carries the hop's requests alone, so what its connections count is what the hop costs on the wire.
        .ConfigurePrimaryHttpMessageHandler(() => WireCounting.Handler())
        .AddTypedClient(http => new RestHop(http, target));
        return builder;
    }

    /// <summary>gRPC: a bidi hop usable both ways (see <see cref="StreamHop{TRequest,TResponse}"/>); no resilience handler, its timeouts and retries don't fit streams.</summary>
    public static IHostApplicationBuilder AddStreamHop<TClient, TRequest, TResponse>(this IHostApplicationBuilder builder,
        Func<TClient, CallOptions, AsyncDuplexStreamingCall<TRequest, TResponse>> open)
        where TClient : class
        where TRequest : class, IHopRequest
        where TResponse : class, IFaultCarrier
    {
        var options = ChainOptions.From(builder.Configuration);
        var (target, address) = options.RequireDownstream();
        builder.Services.AddGrpcClient<TClient>(o => o.Address = address)
            .ConfigurePrimaryHttpMessageHandler(() => WireCounting.Handler(new SocketsHttpHandler
            {
                // Beyond 100 concurrent streams (per-request mode under load) open another connection rather than queue.
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            }));
        builder.Services.AddSingleton(services =>
        {
            var client = services.GetRequiredService<GrpcClientFactory>().CreateClient<TClient>(typeof(TClient).Name);
            return new StreamHop<TRequest, TResponse>(
                new SharedStreamHop<TRequest, TResponse>(call => open(client, call), target, options.SharedStreams, options.RequestTimeout, options.MaxInFlightPerStream),
                new PerRequestStreamHop<TRequest, TResponse>(call => open(client, call), target, options.RequestTimeout),
                options.StreamMode);
        });
        return builder;
    }
}
