using Grpc.Core;
using Grpc.Net.Client;
using Protos;
using ServiceDefaults;
using ServiceDefaults.Hops;

namespace LoadGenerator.Targets;

/// <summary>
/// AggregatorService.AggregateStream (or the ceiling's NoopStream): a few long-lived bidi streams per connection,
/// requests pipelined over them and matched to answers by correlation id (the same multiplexer the services use
/// between themselves).
/// </summary>
public sealed class GrpcStreamTarget : ILoadTarget
{
    private readonly GrpcChannel[] channels;
    private readonly IDisposable[] hops;
    private readonly Func<int, CancellationToken, Task<string?>> send;
    private readonly int streams;
    private int next;

    public GrpcStreamTarget(LoadSettings settings)
    {
        channels = GrpcConnections.Open(settings.Address, settings.Connections);
        streams = Math.Max(1, settings.StreamsPerConnection);
        var outbox = Math.Max(64, settings.Concurrency);
        // The edge's stream carries a request per message either way; its mode names how the chain's own hops carry them on.
        SharedStreamHop<TRequest, TResponse> Hop<TRequest, TResponse>(Func<CallOptions, AsyncDuplexStreamingCall<TRequest, TResponse>> open, StreamMode mode = StreamMode.Shared)
            where TRequest : class, IHopRequest
            where TResponse : class, IFaultCarrier =>
            new(options => OpenedStream<TRequest, TResponse>.Single(open(options)), settings.Address.Authority, streams, settings.Timeout, outbox, mode);

        if (settings.Target == TargetKind.GrpcStreamNoop)
        {
            var echoes = channels.Select(c => Hop(new CeilingService.CeilingServiceClient(c).NoopStream)).ToArray();
            hops = echoes;
            send = async (i, ct) =>
            {
                await echoes[i].CallAsync(new Echo(), null, ct);
                return null;
            };
        }
        else
        {
            var mode = settings.StreamMode is StreamMode.Batched ? StreamMode.Batched : StreamMode.Shared;
            var aggregates = channels.Select(c => Hop(new AggregatorService.AggregatorServiceClient(c).AggregateStream, mode)).ToArray();
            hops = aggregates;
            send = async (i, ct) =>
            {
                var answer = await aggregates[i].CallAsync(new AggregateRequest { Seed = settings.Seed, Size = settings.Size }, null, ct);
                return answer.Count == settings.Size ? null : "wrong answer";
            };
        }
    }

    public string Shape(LoadSettings run) =>
        $"HTTP/2, {Counted.Of(channels.Length, "connection")} × {Counted.Of(streams, "bidi stream")}, " +
        $"up to {Math.Max(1, run.Concurrency / (channels.Length * streams)):N0} in flight each";

    public async ValueTask<string?> SendAsync(CancellationToken ct)
    {
        try
        {
            return await send((int)((uint)Interlocked.Increment(ref next) % (uint)hops.Length), ct);
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
