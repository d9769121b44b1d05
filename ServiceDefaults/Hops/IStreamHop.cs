using Grpc.Core;
using Protos;

namespace ServiceDefaults.Hops;

/// <summary>One request and its answer over a bidi gRPC hop, whichever way the streams are used.</summary>
public interface IStreamHop<in TRequest, TResponse>
{
    /// <summary>Sends one request and waits for its answer; failures surface as <see cref="RpcException"/>s that name the downstream.</summary>
    Task<TResponse> CallAsync(TRequest request, DateTime? deadline, CancellationToken ct);
}

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

    /// <summary>
    /// The caller's cancellation fired because its deadline passed (give or take a timer's tick): a timeout to report as
    /// DeadlineExceeded, not the Cancelled the hop itself sees.
    /// </summary>
    public static bool CallerTimedOut(DateTime? deadline) =>
        deadline is { } d && d != DateTime.MaxValue && DateTime.UtcNow >= d.ToUniversalTime() - TimeSpan.FromMilliseconds(50);

    /// <summary>A budget as a message carries it (<see cref="IHopRequest.TimeoutMs"/>): whole milliseconds, at least one, as 0 means none.</summary>
    public static uint Milliseconds(TimeSpan budget) => (uint)Math.Clamp(Math.Ceiling(budget.TotalMilliseconds), 1, uint.MaxValue);

    /// <summary>Time left for one request: the caller's deadline if it is sooner than the hop's own timeout.</summary>
    public static TimeSpan Budget(DateTime? deadline, TimeSpan fallback)
    {
        if (deadline is not { } d || d == DateTime.MaxValue) return fallback;
        var left = d.ToUniversalTime() - DateTime.UtcNow;
        return left < fallback ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : fallback;
    }
}
