using Grpc.Core;
using Grpc.Net.Client;
using Protos;
using ServiceDefaults.Hops;

namespace LoadGenerator.Targets;

/// <summary>
/// AggregatorService.AggregateStream: a few long-lived bidi streams per connection, requests pipelined over them and
/// matched to answers by correlation id (the same multiplexer the services use between themselves).
/// </summary>
public sealed class GrpcStreamTarget : ILoadTarget
{
    private readonly GrpcChannel[] channels;
    private readonly SharedStreamHop<AggregateRequest, AggregateResponse>[] hops;
    private readonly LoadSettings settings;
    private int next;

    public GrpcStreamTarget(LoadSettings settings)
    {
        this.settings = settings;
        channels = GrpcConnections.Open(settings.Address, settings.Connections);
        var streams = Math.Max(1, settings.StreamsPerConnection);
        hops = channels.Select(channel =>
        {
            var client = new AggregatorService.AggregatorServiceClient(channel);
            return new SharedStreamHop<AggregateRequest, AggregateResponse>(client.AggregateStream, settings.Address.Authority,
                streams, settings.Timeout, outboxCapacity: Math.Max(64, settings.Concurrency));
        }).ToArray();
        var inFlight = Math.Max(1, settings.Concurrency / (channels.Length * streams));
        Shape = $"HTTP/2, {LoadTargets.Plural(channels.Length, "connection")} × {LoadTargets.Plural(streams, "bidi stream")}, up to {inFlight:N0} in flight each";
    }

    public string Shape { get; }

    public async ValueTask<string?> SendAsync(CancellationToken ct)
    {
        var hop = hops[(int)((uint)Interlocked.Increment(ref next) % (uint)hops.Length)];
        try
        {
            var answer = await hop.CallAsync(new AggregateRequest { Seed = settings.Seed, Size = settings.Size }, null, ct);
            return answer.Count == settings.Size ? null : "wrong answer";
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            return GrpcConnections.ErrorKind(e);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var hop in hops) hop.Dispose();
        foreach (var channel in channels) channel.Dispose();
        return ValueTask.CompletedTask;
    }
}
