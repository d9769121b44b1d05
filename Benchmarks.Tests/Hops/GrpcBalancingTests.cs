using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Protos;
using ServiceDefaults;
using ServiceDefaults.Hops;

namespace Benchmarks.Tests.Hops;

/// <summary>Chain:GrpcLoadBalancing: a gRPC hop dials its downstream's name through DNS and lets gRPC spread its calls, or refuses to start saying why.</summary>
public class GrpcBalancingTests
{
    private static HostApplicationBuilder Processor(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))
            .Append(KeyValuePair.Create("Chain:Downstream", (string?)"producer-grpc")).Append(KeyValuePair.Create("Chain:DownstreamEndpoint", (string?)"grpc")));
        builder.AddStreamHop<ProducerService.ProducerServiceClient, GenerateRequest, Batch>((client, call) => client.Generate(call),
            (client, call, maxBatch) => OpenedStream<GenerateRequest, Batch>.Batched(client.GenerateBatched(call), Envelopes.Pack, batches => batches.Batches_, maxBatch));
        return builder;
    }

    private static Uri? Dialled(HostApplicationBuilder builder) =>
        builder.Services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<GrpcClientFactoryOptions>>().Get(nameof(ProducerService.ProducerServiceClient)).Address;

    [Fact]
    public void A_balanced_hop_gets_a_channel_gRPC_balances_beside_Aspires_service_discovery()
    {
        var builder = Processor(("Chain:GrpcLoadBalancing", "round_robin"), ("services:producer-grpc:grpc:0", "http://producer-grpc:50051"));
        builder.AddServiceDefaults();

        // Creating the channel is where gRPC refuses a handler its balancing cannot drive (service discovery marks the factory's).
        Assert.NotNull(builder.Services.BuildServiceProvider().GetRequiredService<StreamHop<GenerateRequest, Batch>>());
    }

    [Fact]
    public void Round_robin_dials_the_downstreams_configured_host_through_dns_and_unset_leaves_it_to_service_discovery()
    {
        Assert.Equal(new Uri("dns:///producer-grpc:50051"),
            Dialled(Processor(("Chain:GrpcLoadBalancing", "round_robin"), ("services:producer-grpc:grpc:0", "http://producer-grpc:50051"))));
        Assert.Equal(new Uri("http://_grpc.producer-grpc"), Dialled(Processor(("services:producer-grpc:grpc:0", "http://producer-grpc:50051"))));
    }

    [Theory]
    [InlineData("least_request", "Chain:GrpcLoadBalancing must be round_robin or pick_first; got 'least_request'.")]
    [InlineData("round_robin", "Chain:GrpcLoadBalancing needs services:producer-grpc:grpc:0, the downstream's address, to resolve; got ''.")]
    public void A_policy_it_cannot_follow_stops_the_service_saying_why(string policy, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidOperationException>(() => Processor(("Chain:GrpcLoadBalancing", policy))).Message);
}
