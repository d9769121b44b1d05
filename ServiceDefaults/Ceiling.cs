using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Protos;
using ServiceDefaults.Hops;

namespace ServiceDefaults;

/// <summary>
/// The no-op endpoints every service has: one hop that does nothing, on the same Kestrel, transport and connection
/// shape as the chain. A comparison measures them too, so each chain is read against what one hop could do at most.
/// They are counted apart from the chain's requests (<see cref="ChainMetrics.Noops"/>), and reconciled like them.
/// </summary>
public sealed class CeilingGrpc(DuplexPump pump) : CeilingService.CeilingServiceBase
{
    private static readonly Task<Empty> Nothing = Task.FromResult(new Empty());

    public override Task<Empty> Noop(Empty request, ServerCallContext context) => Nothing;

    /// <summary>The streaming edge's ceiling: a bidi echo served by the same pump as the chain's streams, minus the work and the downstream.</summary>
    public override Task NoopStream(IAsyncStreamReader<Echo> requests, IServerStreamWriter<Echo> responses, ServerCallContext context) =>
        pump.ServeAsync(requests, responses, context, static (_, _) => ValueTask.FromResult(new Echo()), fault => new Echo { Fault = fault }, ChainMetrics.Noops);
}

public static class Ceiling
{
    public const string RestPath = "/noop";

    public static IResult NoopRest()
    {
        ChainMetrics.Noops.ServeAtOnce();
        return Results.Ok();
    }
}
