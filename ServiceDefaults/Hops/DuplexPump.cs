using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Protos;

namespace ServiceDefaults.Hops;

/// <summary>
/// The server side of a bidi hop: requests are handled as they arrive, several at once, and their answers go back
/// through the stream's only writer in the order they finish. A failed request answers with a fault and the stream
/// goes on; when the service stops, it takes no new requests, lets the ones in hand finish and closes the stream.
/// </summary>
public sealed class DuplexPump(ChainOptions options, IHostApplicationLifetime lifetime)
{
    public delegate ValueTask<TResponse> Handler<in TRequest, TResponse>(TRequest request, ServerCallContext context);

    public async Task ServeAsync<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context,
        Handler<TRequest, TResponse> handle, Func<Fault, TResponse> faulted)
        where TRequest : ICorrelated
        where TResponse : IFaultCarrier
    {
        ChainMetrics.StreamOpened();
        try
        {
            await PumpAsync(requests, responses, context, handle, faulted);
        }
        finally
        {
            ChainMetrics.StreamClosed();
        }
    }

    private async Task PumpAsync<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context,
        Handler<TRequest, TResponse> handle, Func<Fault, TResponse> faulted)
        where TRequest : ICorrelated
        where TResponse : IFaultCarrier
    {
        var maxInFlight = options.MaxInFlightPerStream;
        var stopping = lifetime.ApplicationStopping;
        var callEnded = context.CancellationToken;
        var outbox = Channel.CreateBounded<TResponse>(new BoundedChannelOptions(maxInFlight) { SingleReader = true });
        var writer = WriteAllAsync(outbox.Reader, responses, callEnded);
        using var slots = new SemaphoreSlim(maxInFlight);
        using var readEnds = CancellationTokenSource.CreateLinkedTokenSource(callEnded, stopping);

        try
        {
            while (await requests.MoveNext(readEnds.Token))
            {
                ChainMetrics.MessageIn();
                await slots.WaitAsync(readEnds.Token);
                _ = HandleOneAsync(requests.Current);
            }
        }
        catch (OperationCanceledException) when (readEnds.IsCancellationRequested)
        {
            // The caller went away or the service is stopping: stop reading, finish what is in hand.
        }

        for (var i = 0; i < maxInFlight; i++) await slots.WaitAsync(callEnded).ConfigureAwait(false);
        outbox.Writer.TryComplete();
        await writer;

        async Task HandleOneAsync(TRequest request)
        {
            try
            {
                TResponse response;
                try
                {
                    response = await handle(request, context);
                    ChainMetrics.RequestServed();
                }
                catch (RpcException e)
                {
                    response = faulted(new Fault { Code = (int)e.StatusCode, Detail = e.Status.Detail });
                    ChainMetrics.RequestFailed();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    response = faulted(new Fault { Code = (int)StatusCode.Internal, Detail = e.Message });
                    ChainMetrics.RequestFailed();
                }
                response.CorrelationId = request.CorrelationId;
                await outbox.Writer.WriteAsync(response, callEnded);
            }
            catch (OperationCanceledException)
            {
                // The caller is gone; there is nobody to answer.
            }
            finally
            {
                slots.Release();
            }
        }
    }

    private static async Task WriteAllAsync<TResponse>(ChannelReader<TResponse> outbox, IServerStreamWriter<TResponse> responses, CancellationToken ct)
    {
        try
        {
            await foreach (var response in outbox.ReadAllAsync(ct))
            {
                await responses.WriteAsync(response, ct);
                ChainMetrics.MessageOut();
            }
        }
        catch (OperationCanceledException)
        {
            // The caller is gone.
        }
    }
}
