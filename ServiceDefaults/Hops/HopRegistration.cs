using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;
using Protos;
using ServiceDefaults.Wire;

namespace ServiceDefaults.Hops;

/// <summary>Wires a service to its downstream (<c>Chain:Downstream</c>, found through service discovery) over its transport.</summary>
public static class HopRegistration
{
    /// <summary>
    /// REST: two clients, one per HTTP version a request may come on (see <see cref="RestHop"/>): keep-alive HTTP/1.1 to
    /// the downstream's <c>http</c> endpoint, HTTP/2 with prior knowledge to its <c>h2c</c> endpoint, one connection
    /// multiplexed; each request's address picked in turn from what service discovery resolves (<see cref="DiscoveredAddresses"/>).
    /// Plain clients, not the client factory's: with discovery's handler rebuilding each request's URI and the factory's
    /// handlers, a REST processor spent a fifth more CPU per request (docs/results/2026-12-03-levers). No resilience pipeline either: with
    /// retries off (a retried request is served twice downstream, and failures would hide) it only added a circuit breaker
    /// and a rate limiter, for about a quarter of the chain's CPU per request (issue #6). The deadline is the request's
    /// <see cref="RequestBudget"/>, and every failure is a 502 or 504 naming the service.
    /// </summary>
    public static IHostApplicationBuilder AddRestHop(this IHostApplicationBuilder builder)
    {
        var chain = ChainOptions.From(builder.Configuration);
        var (target, http1) = chain.RequireDownstream();
        var (_, h2c) = chain.RequireDownstream(ChainOptions.H2cEndpoint);
        builder.Services.AddSingleton(services =>
        {
            var resolver = services.GetRequiredService<ServiceEndpointResolver>();
            DiscoveredAddresses Discovered(Uri address) => new(resolver, address.GetLeftPart(UriPartial.Authority));
            // Each client carries the hop's requests alone, so what its connections count is what the hop costs on the wire.
            return new RestHop(
                new RestClient(Client(RestHandler(), HttpVersion.Version11), Discovered(http1)),
                new RestClient(Client(RestHandler(), HttpVersion.Version20), Discovered(h2c)),
                target);
        });
        return builder;
    }

    /// <summary>Exactly <paramref name="version"/> (h2c: prior knowledge, never a fallback to HTTP/1.1), no timeout of its own.</summary>
    private static HttpClient Client(HttpMessageHandler handler, Version version) => new(handler)
    {
        DefaultRequestVersion = version,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        // The request's budget bounds headers and body; HttpClient's own timeout would cover the headers only.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>
    /// A REST client's connections, counted; each lives two minutes, as the client factory's handlers did, so an address
    /// that spreads connections (a Kubernetes Service) reaches new replicas. Over h2c one connection, multiplexed, as
    /// gRPC's (the handler's default).
    /// </summary>
    private static SocketsHttpHandler RestHandler() => WireCounting.Handler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

    private static SocketsHttpHandler StreamHopHandler() => WireCounting.Handler(new SocketsHttpHandler
    {
        // Beyond 100 concurrent streams (per-request mode under load) open another connection rather than queue.
        EnableMultipleHttp2Connections = true,
        KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
    });

    /// <summary>
    /// The hop balanced by gRPC itself (<see cref="ChainOptions.GrpcLoadBalancing"/>): the downstream's configured host
    /// resolved by DNS, a connection to each of its addresses, calls spread over them by the policy; null without a policy.
    /// </summary>
    private static (Uri Address, Action<GrpcChannelOptions> Configure)? BalancedByGrpc(string? policy, IConfiguration configuration, string target, string endpoint)
    {
        if (policy is null) return null;
        LoadBalancingConfig balancing = policy switch
        {
            LoadBalancingConfig.RoundRobinPolicyName => new RoundRobinConfig(),
            LoadBalancingConfig.PickFirstPolicyName => new PickFirstConfig(),
            _ => throw new InvalidOperationException(
                $"{ChainOptions.Section}:GrpcLoadBalancing must be {LoadBalancingConfig.RoundRobinPolicyName} or {LoadBalancingConfig.PickFirstPolicyName}; got '{policy}'."),
        };
        var key = $"services:{target}:{endpoint}:0";
        if (!Uri.TryCreate(configuration[key], UriKind.Absolute, out var configured))
        {
            throw new InvalidOperationException($"{ChainOptions.Section}:GrpcLoadBalancing needs {key}, the downstream's address, to resolve; got '{configuration[key]}'.");
        }
        return (new Uri($"dns:///{configured.Authority}"), channel =>
        {
            channel.Credentials = ChannelCredentials.Insecure;
            channel.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { balancing } };
            // A handler of its own: Aspire's service discovery marks every handler of the client factory's
            // "__GrpcLoadBalancingDisabled", which turns gRPC's balancing off (it balances those clients itself).
            channel.HttpHandler = StreamHopHandler();
            channel.DisposeHttpClient = true;
        });
    }

    /// <summary>
    /// gRPC: a bidi hop usable every way (see <see cref="StreamHop{TRequest,TResponse}"/>), <paramref name="open"/> a plain
    /// stream and <paramref name="openBatched"/> a batched one; no resilience handler, its timeouts and retries don't fit streams.
    /// </summary>
    public static IHostApplicationBuilder AddStreamHop<TClient, TRequest, TResponse>(this IHostApplicationBuilder builder,
        Func<TClient, CallOptions, AsyncDuplexStreamingCall<TRequest, TResponse>> open,
        Func<TClient, CallOptions, int, OpenedStream<TRequest, TResponse>> openBatched)
        where TClient : class
        where TRequest : class, IHopRequest
        where TResponse : class, IFaultCarrier
    {
        var options = ChainOptions.From(builder.Configuration);
        var (target, address) = options.RequireDownstream();
        var balanced = BalancedByGrpc(options.GrpcLoadBalancing, builder.Configuration, target, options.DownstreamEndpoint);
        var registered = builder.Services.AddGrpcClient<TClient>(o => o.Address = balanced?.Address ?? address)
            .ConfigurePrimaryHttpMessageHandler(StreamHopHandler);
        if (balanced is { } channel) registered.ConfigureChannel(channel.Configure);
        builder.Services.AddSingleton(services =>
        {
            var client = services.GetRequiredService<GrpcClientFactory>().CreateClient<TClient>(typeof(TClient).Name);
            SharedStreamHop<TRequest, TResponse> Shared(Func<CallOptions, OpenedStream<TRequest, TResponse>> opened, StreamMode mode) =>
                new(opened, target, options.SharedStreams, options.RequestTimeout, options.MaxInFlightPerStream, mode);
            return new StreamHop<TRequest, TResponse>(
                Shared(call => OpenedStream<TRequest, TResponse>.Single(open(client, call)), StreamMode.Shared),
                Shared(call => openBatched(client, call, options.MaxBatch), StreamMode.Batched),
                new PerRequestStreamHop<TRequest, TResponse>(call => open(client, call), target, options.RequestTimeout),
                options.StreamMode);
        });
        return builder;
    }
}
