using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Protos;

namespace ServiceDefaults.Hops;

/// <summary>
/// The server side of a bidi hop: requests are handled as they arrive, several at once, and their answers go back
/// through the stream's only writer in the order they finish (on a batched stream, every answer ready goes in one
/// message). A failed request answers with a fault and the stream goes on; when the service stops, it takes no new
/// requests, lets the ones in hand finish and closes the stream.
/// </summary>
public sealed class DuplexPump(ChainOptions options, IHostApplicationLifetime lifetime)
{
    public delegate ValueTask<TResponse> Handler<in TRequest, TResponse>(TRequest request, Incoming incoming);

    /// <param name="counted">Where the stream's requests are counted: the chain's (<see cref="ChainMetrics.Requests"/>, the default) or the ceiling's.</param>
    public Task ServeAsync<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context,
        Handler<TRequest, TResponse> handle, Func<Fault, TResponse> faulted, RequestCount? counted = null)
        where TRequest : IHopRequest
        where TResponse : IFaultCarrier =>
        ServeAsync(StreamWire<TRequest, TResponse>.Single(requests, responses), context, handle, faulted, counted);

    /// <summary>A batched stream: requests arrive packed in <typeparamref name="TRequests"/>, answers leave packed in <typeparamref name="TResponses"/>.</summary>
    public Task ServeBatchedAsync<TRequests, TResponses, TRequest, TResponse>(
        IAsyncStreamReader<TRequests> requests, IServerStreamWriter<TResponses> responses, ServerCallContext context,
        Func<TRequests, IReadOnlyList<TRequest>> unpack, Func<IReadOnlyList<TResponse>, TResponses> pack,
        Handler<TRequest, TResponse> handle, Func<Fault, TResponse> faulted)
        where TRequest : IHopRequest
        where TResponse : IFaultCarrier =>
        ServeAsync(StreamWire<TRequest, TResponse>.Batched(requests, responses, unpack, pack, options.MaxBatch), context, handle, faulted, null);

    private async Task ServeAsync<TRequest, TResponse>(StreamWire<TRequest, TResponse> wire, ServerCallContext context,
        Handler<TRequest, TResponse> handle, Func<Fault, TResponse> faulted, RequestCount? counted)
        where TRequest : IHopRequest
        where TResponse : IFaultCarrier
    {
        ChainMetrics.StreamOpened();
        try
        {
            var stream = new ServedStream<TRequest, TResponse>(context, handle, faulted, counted ?? ChainMetrics.Requests, options.MaxInFlightPerStream);
            await stream.PumpAsync(wire, lifetime.ApplicationStopping);
        }
        finally
        {
            ChainMetrics.StreamClosed();
        }
    }

    /// <summary>One stream being served: a slot per request in hand, and an outbox its only writer drains.</summary>
    /// <remarks>Its semaphore is not disposed: the last request gives its slot back as the stream ends, and a SemaphoreSlim whose wait handle is never asked for holds nothing to free.</remarks>
    private sealed class ServedStream<TRequest, TResponse>(
        ServerCallContext context, Handler<TRequest, TResponse> handle, Func<Fault, TResponse> faulted, RequestCount counted, int maxInFlight)
        where TRequest : IHopRequest
        where TResponse : IFaultCarrier
    {
        private readonly Channel<TResponse> outbox = Channel.CreateBounded<TResponse>(new BoundedChannelOptions(maxInFlight) { SingleReader = true });
        private readonly SemaphoreSlim slots = new(maxInFlight);

        private CancellationToken CallEnded => context.CancellationToken;

        public async Task PumpAsync(StreamWire<TRequest, TResponse> wire, CancellationToken stopping)
        {
            var writer = WriteAllAsync(wire);
            var unreadable = await ReadAllAsync(wire, stopping);
            // Every slot back means every request taken on is settled and counted, even when the caller has left (their
            // work is cancelled then, so this is short): a closed stream leaves nothing in flight behind it.
            for (var i = 0; i < maxInFlight; i++) await slots.WaitAsync().ConfigureAwait(false);
            outbox.Writer.TryComplete();
            await writer;
            if (unreadable is not null) throw unreadable;
        }

        /// <summary>Takes requests on while a slot is free, until the caller stops sending or goes away, or the service stops.</summary>
        /// <returns>Why the stream could not be read on, or null if it ended as it should.</returns>
        private async Task<RpcException?> ReadAllAsync(StreamWire<TRequest, TResponse> wire, CancellationToken stopping)
        {
            using var readEnds = CancellationTokenSource.CreateLinkedTokenSource(CallEnded, stopping);
            async ValueTask TakeAsync(TRequest request)
            {
                await slots.WaitAsync(readEnds.Token);
                _ = AnswerAsync(request);
            }
            try
            {
                await wire.ReadAllAsync(TakeAsync, readEnds.Token);
            }
            catch (OperationCanceledException) when (readEnds.IsCancellationRequested)
            {
                // The caller went away or the service is stopping: stop reading, finish what is in hand.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A frame that is not one of our messages: the requests before it still get their answers, then the call ends saying why.
                return e as RpcException ?? new RpcException(new Status(StatusCode.InvalidArgument, $"a message on this stream could not be read: {e.Message}"));
            }
            return null;
        }

        /// <summary>Handles one request within the time its caller still waits, and queues its answer; then frees its slot.</summary>
        private async Task AnswerAsync(TRequest request)
        {
            counted.Start();
            // A shared stream has no deadline per request: the message carries the time its caller still waits.
            using var budget = request.TimeoutMs > 0 ? CancellationTokenSource.CreateLinkedTokenSource(CallEnded) : null;
            budget?.CancelAfter(TimeSpan.FromMilliseconds(request.TimeoutMs));
            var deadline = budget is null ? context.Deadline : Earliest(context.Deadline, DateTime.UtcNow.AddMilliseconds(request.TimeoutMs));
            try
            {
                var response = await HandleAsync(request, new Incoming(context.RequestHeaders, deadline, budget?.Token ?? CallEnded));
                response.CorrelationId = request.CorrelationId;
                await outbox.Writer.WriteAsync(response, CallEnded);
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

        /// <summary>The handler's response, or the fault it failed with; counted as served or failed either way.</summary>
        private async ValueTask<TResponse> HandleAsync(TRequest request, Incoming incoming)
        {
            try
            {
                var response = await handle(request, incoming);
                counted.Serve();
                return response;
            }
            catch (Exception e)
            {
                counted.Fail();
                if (FaultOf(e, request) is not { } fault) throw;
                return faulted(fault);
            }
        }

        /// <summary>What a failed request's caller is told; null when the caller is gone and nobody is.</summary>
        private Fault? FaultOf(Exception e, TRequest request) => e switch
        {
            RpcException rpc => new Fault { Code = (int)rpc.StatusCode, Detail = rpc.Status.Detail },
            // Its own deadline passed and its work was cancelled; the caller no longer waits, the answer is for the record.
            OperationCanceledException when !CallEnded.IsCancellationRequested =>
                new Fault { Code = (int)StatusCode.DeadlineExceeded, Detail = $"the request's {request.TimeoutMs} ms passed" },
            OperationCanceledException => null,
            _ => new Fault { Code = (int)StatusCode.Internal, Detail = e.Message },
        };

        private async Task WriteAllAsync(StreamWire<TRequest, TResponse> wire)
        {
            try
            {
                await wire.WriteAllAsync(outbox.Reader, CallEnded);
            }
            catch (OperationCanceledException)
            {
                // The caller is gone.
            }
        }

        private static DateTime Earliest(DateTime a, DateTime b) => a.ToUniversalTime() < b ? a : b;
    }
}
