using Grpc.Core;
using Protos;

namespace ServiceDefaults.Hops;

/// <summary>A new bidi stream for every request: one message each way, then the stream ends (what the original's services do).</summary>
public sealed class PerRequestStreamHop<TRequest, TResponse>(
    Func<CallOptions, AsyncDuplexStreamingCall<TRequest, TResponse>> open, string target, TimeSpan timeout)
    : IStreamHop<TRequest, TResponse>
    where TRequest : class, IHopRequest
    where TResponse : class, IFaultCarrier
{
    private static readonly Metadata PerRequestHeaders = StreamModes.Headers(StreamMode.PerRequest);

    public async Task<TResponse> CallAsync(TRequest request, DateTime? deadline, CancellationToken ct)
    {
        var budget = StreamBudget.Of(deadline, timeout);
        request.TimeoutMs = StreamBudget.Milliseconds(budget);
        TResponse? response;
        try
        {
            // The header carries the choice down the chain: the next hop opens a stream per request too.
            using var call = open(new CallOptions(PerRequestHeaders, DateTime.UtcNow + budget, ct));
            await call.RequestStream.WriteAsync(request, ct);
            await call.RequestStream.CompleteAsync();
            response = await call.ResponseStream.MoveNext(ct) ? call.ResponseStream.Current : null;
            // Read to the end, so the stream closes with its status instead of a reset the server would log as an error.
            while (response is not null && await call.ResponseStream.MoveNext(ct)) { }
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            throw StreamHopFaults.Describe(e, target, budget);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException && StreamBudget.CallerTimedOut(deadline))
        {
            throw StreamHopFaults.TimedOut(target, budget);
        }
        return response is null
            ? throw StreamHopFaults.Unavailable(target, "the stream ended without an answer")
            : StreamHopFaults.ThrowIfFaulted(response);
    }
}
