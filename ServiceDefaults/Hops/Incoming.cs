using Grpc.Core;

namespace ServiceDefaults.Hops;

/// <summary>
/// One request being served over gRPC, as the next hop needs it: the caller's headers (the stream mode travels in them),
/// the time it still waits, and the token that ends the work when that time is up or the caller goes away.
/// </summary>
public readonly record struct Incoming(Metadata Headers, DateTime Deadline, CancellationToken Cancelled)
{
    /// <summary>A unary call, or a stream with one request: the call's own deadline and cancellation are the request's.</summary>
    public static Incoming Of(ServerCallContext call) => new(call.RequestHeaders, call.Deadline, call.CancellationToken);
}
