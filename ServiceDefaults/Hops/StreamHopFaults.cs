using Grpc.Core;
using Protos;

namespace ServiceDefaults.Hops;

/// <summary>How a bidi hop's failures reach its caller: as the <see cref="RpcException"/> a unary call would have got, naming the downstream.</summary>
internal static class StreamHopFaults
{
    /// <summary>An answer that carries a fault becomes the exception its request would have got from a unary call.</summary>
    public static TResponse ThrowIfFaulted<TResponse>(TResponse response) where TResponse : IFaultCarrier =>
        response.Fault is { } fault
            ? throw new RpcException(new Status((StatusCode)fault.Code, fault.Detail))
            : response;

    public static RpcException Unavailable(string target, string why) =>
        new(new Status(StatusCode.Unavailable, $"{target} is unavailable: {why}"));

    public static RpcException TimedOut(string target, TimeSpan budget) =>
        new(new Status(StatusCode.DeadlineExceeded, $"{target} did not answer within {budget.TotalMilliseconds:0} ms"));

    /// <summary>A transport failure of the hop itself, reworded so the caller's caller learns which service failed.</summary>
    public static RpcException Describe(RpcException e, string target, TimeSpan budget) => e.StatusCode switch
    {
        StatusCode.DeadlineExceeded => TimedOut(target, budget),
        StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted => Unavailable(target, e.Status.Detail),
        _ => new RpcException(new Status(e.StatusCode, $"{target}: {e.Status.Detail}")),
    };
}
