using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Protos;

namespace ServiceDefaults;

/// <summary>
/// The no-op endpoints every service has: one hop that does nothing, on the same Kestrel, transport and connection
/// shape as the chain. A comparison measures them too, so each chain is read against what one hop could do at most.
/// Not counted as requests served: they are not part of the chain.
/// </summary>
public sealed class CeilingGrpc : CeilingService.CeilingServiceBase
{
    private static readonly Task<Empty> Nothing = Task.FromResult(new Empty());

    public override Task<Empty> Noop(Empty request, ServerCallContext context) => Nothing;
}

public static class Ceiling
{
    public const string RestPath = "/noop";
}
