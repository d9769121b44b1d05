using Grpc.Core;
using Protos;

namespace ServiceDefaults.Hops;

/// <summary>
/// A role's bidi hop to its downstream, used both ways: over the shared streams, or with a stream of its own per
/// request. A call picks with the <c>chain-stream-mode</c> header (passed on down the chain), else <c>Chain:StreamMode</c>
/// decides; so one running chain can be measured both ways.
/// </summary>
public sealed class StreamHop<TRequest, TResponse>(
    SharedStreamHop<TRequest, TResponse> shared, PerRequestStreamHop<TRequest, TResponse> perRequest, StreamMode byDefault)
    where TRequest : class, IHopRequest
    where TResponse : class, IFaultCarrier
{
    public const string ModeHeader = "chain-stream-mode";
    public const string SharedValue = "shared";
    public const string PerRequestValue = "per-request";

    public Task<TResponse> CallAsync(TRequest request, Incoming caller)
    {
        IStreamHop<TRequest, TResponse> hop = ModeOf(caller.Headers) is StreamMode.PerRequest ? perRequest : shared;
        return hop.CallAsync(request, caller.Deadline, caller.Cancelled);
    }

    private StreamMode ModeOf(Metadata headers) => headers.GetValue(ModeHeader) switch
    {
        null => byDefault,
        SharedValue => StreamMode.Shared,
        PerRequestValue => StreamMode.PerRequest,
        var other => throw new RpcException(new Status(StatusCode.InvalidArgument,
            $"{ModeHeader} must be '{SharedValue}' or '{PerRequestValue}', got '{other}'")),
    };
}
