using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Protos;
using ServiceDefaults.Hops;

namespace ServiceDefaults;

/// <summary>The gRPC ceiling (see <see cref="Ceiling"/>): a unary no-op, and a bidi echo for the streaming edge.</summary>
public sealed class CeilingGrpc(DuplexPump pump) : CeilingService.CeilingServiceBase
{
    private static readonly Task<Empty> Nothing = Task.FromResult(new Empty());

    /// <summary>Counted on <see cref="ChainMetrics.Noops"/> by <see cref="UnaryCallCounting"/>.</summary>
    public override Task<Empty> Noop(Empty request, ServerCallContext context) => Nothing;

    /// <summary>The streaming edge's ceiling: a bidi echo served by the same pump as the chain's streams, minus the work and the downstream.</summary>
    public override Task NoopStream(IAsyncStreamReader<Echo> requests, IServerStreamWriter<Echo> responses, ServerCallContext context) =>
        pump.ServeAsync(requests, responses, context, static (_, _) => ValueTask.FromResult(new Echo()), fault => new Echo { Fault = fault }, ChainMetrics.Noops);
}
