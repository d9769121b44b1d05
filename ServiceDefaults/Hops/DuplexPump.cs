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
    public delegate ValueTask<TResponse> Handler<in TRequest, TResponse>(TRequest request, Incoming incoming);

    /// <param name="counted">Where the stream's requests are counted: the chain's (<see cref="ChainMetrics.Requests"/>, the default) or the ceiling's.</param>
    public async Task ServeAsync<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context,
        Handler<TRequest, TResponse> handle, Func<Fault, TResponse> faulted, RequestCount? counted = null)
        where TRequest : IHopRequest
        where TResponse : IFaultCarrier
    {
        ChainMetrics.StreamOpened();
        try
        {
            await PumpAsync(requests, responses, context, handle, faulted, counted ?? ChainMetrics.Requests);
        }
        finally
        {
            ChainMetrics.StreamClosed();
        }
    }

    private async Task PumpAsync<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context,
        Handler<TRequest, TResponse> handle, Func<Fault, TResponse> faulted, RequestCount counted)
        where TRequest : IHopRequest
        where TResponse : IFaultCarrier
    {
        var maxInFlight = options.MaxInFlightPerStream;
        var stopping = lifetime.ApplicationStopping;
        var callEnded = context.CancellationToken;
        var outbox = Channel.CreateBounded<TResponse>(new BoundedChannelOptions(maxInFlight) { SingleReader = true });
        var writer = WriteAllAsync(outbox.Reader, responses, callEnded);
        using var slots = new SemaphoreSlim(maxInFlight);
        using var readEnds = CancellationTokenSource.CreateLinkedTokenSource(callEnded, stopping);
        RpcException? unreadable = null;

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
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A frame that is not one of our messages: the requests before it still get their answers, then the call ends saying why.
            unreadable = e as RpcException ?? new RpcException(new Status(StatusCode.InvalidArgument, $"a message on this stream could not be read: {e.Message}"));
        }

        for (var i = 0; i < maxInFlight; i++) await slots.WaitAsync(callEnded).ConfigureAwait(false);
        outbox.Writer.TryComplete();
        await writer;
        if (unreadable is not null) throw unreadable;

        async Task HandleOneAsync(TRequest request)
        {
            counted.Start();
            // A shared stream has no deadline per request: the message carries the time its caller still waits.
            using var budget = request.TimeoutMs > 0 ? CancellationTokenSource.CreateLinkedTokenSource(callEnded) : null;
            budget?.CancelAfter(TimeSpan.FromMilliseconds(request.TimeoutMs));
            var deadline = budget is null ? context.Deadline : Earliest(context.Deadline, DateTime.UtcNow.AddMilliseconds(request.TimeoutMs));
            try
            {
                TResponse response;
                try
                {
                    response = await handle(request, new Incoming(context.RequestHeaders, deadline, budget?.Token ?? callEnded));
                    counted.Serve();
                }
                catch (RpcException e)
                {
                    response = faulted(new Fault { Code = (int)e.StatusCode, Detail = e.Status.Detail });
                    counted.Fail();
                }
                catch (OperationCanceledException) when (!callEnded.IsCancellationRequested)
                {
                    // Its own deadline passed and its work was cancelled; the caller no longer waits, the answer is for the record.
                    response = faulted(new Fault { Code = (int)StatusCode.DeadlineExceeded, Detail = $"the request's {request.TimeoutMs} ms passed" });
                    counted.Fail();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    response = faulted(new Fault { Code = (int)StatusCode.Internal, Detail = e.Message });
                    counted.Fail();
                }
                catch
                {
                    counted.Fail();
                    throw;
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

    private static DateTime Earliest(DateTime a, DateTime b) => a.ToUniversalTime() < b ? a : b;

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
