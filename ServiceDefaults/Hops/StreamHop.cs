using Grpc.Core;
using Protos;

namespace ServiceDefaults.Hops;

/// <summary>
/// A role's bidi hop to its downstream, used three ways: over the shared streams, over shared streams that batch, or
/// with a stream of its own per request. A call picks with the <c>chain-stream-mode</c> header (passed on down the
/// chain), else <c>Chain:StreamMode</c> decides; so one running chain can be measured every way.
/// </summary>
public sealed class StreamHop<TRequest, TResponse>(SharedStreamHop<TRequest, TResponse> shared, SharedStreamHop<TRequest, TResponse> batched,
    PerRequestStreamHop<TRequest, TResponse> perRequest, StreamMode byDefault)
    where TRequest : class, IHopRequest
    where TResponse : class, IFaultCarrier
{
    public Task<TResponse> CallAsync(TRequest request, Incoming caller)
    {
        IStreamHop<TRequest, TResponse> hop = ModeOf(caller.Headers) switch
        {
            StreamMode.PerRequest => perRequest,
            StreamMode.Batched => batched,
            _ => shared,
        };
        return hop.CallAsync(request, caller.Deadline, caller.Cancelled);
    }

    private StreamMode ModeOf(Metadata headers) => headers.GetValue(StreamModes.Header) switch
    {
        null => byDefault,
        var value when StreamModes.TryParse(value, out var mode) => mode,
        var other => throw new RpcException(new Status(StatusCode.InvalidArgument,
            $"{StreamModes.Header} must be {StreamModes.Choices}, got '{other}'")),
    };
}
