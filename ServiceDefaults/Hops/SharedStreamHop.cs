using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Protos;

namespace ServiceDefaults.Hops;

/// <summary>
/// A few long-lived bidi streams shared by every request (what bidi streaming is for): requests are spread over the
/// streams, tagged with a correlation id, written by one writer per stream and matched to their answers as they
/// come back. A broken stream fails the requests waiting on it with <c>Unavailable</c> and is re-opened by the next request.
/// On a batched stream the writer packs every request waiting into one message (<see cref="StreamWire{TIn,TOut}"/>).
/// </summary>
public sealed class SharedStreamHop<TRequest, TResponse> : IStreamHop<TRequest, TResponse>, IDisposable
    where TRequest : class, IHopRequest
    where TResponse : class, IFaultCarrier
{
    private readonly Func<CallOptions, OpenedStream<TRequest, TResponse>> open;
    // Named on the stream so the next hop shares (or batches) its streams too, whatever its own default.
    private readonly Metadata headers;
    private readonly string target;
    private readonly TimeSpan timeout;
    private readonly int outboxCapacity;
    private readonly Lane[] lanes;
    private long lastCorrelationId;
    private int nextLane;

    /// <param name="mode">Shared or Batched: what the stream is named as, for the next hop to follow.</param>
    public SharedStreamHop(Func<CallOptions, OpenedStream<TRequest, TResponse>> open, string target,
        int streams, TimeSpan timeout, int outboxCapacity, StreamMode mode = StreamMode.Shared)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(streams, 1);
        (this.open, this.target, this.timeout, this.outboxCapacity) = (open, target, timeout, outboxCapacity);
        headers = StreamModes.Headers(mode);
        lanes = Enumerable.Range(0, streams).Select(_ => new Lane()).ToArray();
    }

    public async Task<TResponse> CallAsync(TRequest request, DateTime? deadline, CancellationToken ct)
    {
        var budget = StreamBudget.Of(deadline, timeout);
        var lane = lanes[(int)((uint)Interlocked.Increment(ref nextLane) % (uint)lanes.Length)];
        var stream = lane.Current ?? lane.Reopen(this);
        var id = (ulong)Interlocked.Increment(ref lastCorrelationId);
        request.CorrelationId = id;
        request.TimeoutMs = StreamBudget.Milliseconds(budget);

        var answer = new TaskCompletionSource<TResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The budget covers waiting for room in a full outbox too, so a stuck downstream can't hold a caller forever.
        using var deadlineOrCaller = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadlineOrCaller.CancelAfter(budget);
        try
        {
            await stream.SendAsync(id, request, answer, deadlineOrCaller.Token);
            return StreamHopFaults.ThrowIfFaulted(await answer.Task.WaitAsync(deadlineOrCaller.Token));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested || StreamBudget.CallerTimedOut(deadline))
        {
            // The hop's budget ran out, or the caller's deadline did (which is what cancelled it): a timeout either way.
            stream.Forget(id);
            throw StreamHopFaults.TimedOut(target, budget);
        }
        catch (OperationCanceledException)
        {
            stream.Forget(id);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lane in lanes) lane.Current?.Break("the service is shutting down");
    }

    /// <summary>A slot for one shared stream; it holds the live stream, or none after a break.</summary>
    private sealed class Lane
    {
        private readonly Lock gate = new();
        private SharedStream? stream;

        public SharedStream? Current => Volatile.Read(ref stream) is { IsBroken: false } live ? live : null;

        public SharedStream Reopen(SharedStreamHop<TRequest, TResponse> hop)
        {
            lock (gate)
            {
                if (stream is { IsBroken: false } live) return live;
                return stream = new SharedStream(hop);
            }
        }
    }

    /// <summary>One duplex call: a bounded outbox drained by the only writer, a reader that completes waiting requests.</summary>
    private sealed class SharedStream
    {
        private readonly OpenedStream<TRequest, TResponse> call;
        private readonly Channel<TRequest> outbox;
        private readonly ConcurrentDictionary<ulong, TaskCompletionSource<TResponse>> waiting = new();
        private readonly string target;
        private string? brokenBecause;

        public SharedStream(SharedStreamHop<TRequest, TResponse> hop)
        {
            target = hop.target;
            // Bounded: when the downstream is slower than the callers, they wait here instead of piling up memory.
            outbox = Channel.CreateBounded<TRequest>(new BoundedChannelOptions(hop.outboxCapacity) { SingleReader = true });
            call = hop.open(new CallOptions(hop.headers));
            _ = WriteAllAsync();
            _ = ReadAllAsync();
        }

        public bool IsBroken => Volatile.Read(ref brokenBecause) is not null;

        public async ValueTask SendAsync(ulong id, TRequest request, TaskCompletionSource<TResponse> answer, CancellationToken ct)
        {
            waiting[id] = answer;
            // Checked after registering: either the break sweep sees this request, or this check sees the break.
            if (Volatile.Read(ref brokenBecause) is { } why)
            {
                Fail(id, why);
                return;
            }
            try
            {
                await outbox.Writer.WriteAsync(request, ct);
            }
            catch (ChannelClosedException)
            {
                Fail(id, Volatile.Read(ref brokenBecause) ?? "the stream closed");
            }
        }

        public void Forget(ulong id) => waiting.TryRemove(id, out _);

        private void Fail(ulong id, string why)
        {
            if (waiting.TryRemove(id, out var answer)) answer.TrySetException(StreamHopFaults.Unavailable(target, why));
        }

        private async Task WriteAllAsync()
        {
            try
            {
                await call.Wire.WriteAllAsync(outbox.Reader, CancellationToken.None);
            }
            catch (Exception e)
            {
                Break($"writing to the stream failed: {Reason(e)}");
            }
        }

        private async Task ReadAllAsync()
        {
            try
            {
                await call.Wire.ReadAllAsync(Complete, CancellationToken.None);
                Break("the stream was closed by the server");
            }
            catch (Exception e)
            {
                Break(Reason(e));
            }
        }

        /// <summary>An unknown id is an answer that came after its request gave up; nobody waits for it.</summary>
        private ValueTask Complete(TResponse response)
        {
            if (waiting.TryRemove(response.CorrelationId, out var answer)) answer.TrySetResult(response);
            return ValueTask.CompletedTask;
        }

        public void Break(string why)
        {
            if (Interlocked.CompareExchange(ref brokenBecause, why, null) is not null) return;
            outbox.Writer.TryComplete();
            foreach (var id in waiting.Keys) Fail(id, why);
            call.Dispose();
        }

        private static string Reason(Exception e) => e is RpcException rpc ? rpc.Status.Detail : e.Message;
    }
}

/// <summary>A bidi call as a shared stream uses it: its messages through <paramref name="Wire"/>, the call itself to end it.</summary>
public sealed record OpenedStream<TRequest, TResponse>(StreamWire<TResponse, TRequest> Wire, IDisposable Call) : IDisposable
{
    /// <summary>A plain bidi call: a request per message each way.</summary>
    public static OpenedStream<TRequest, TResponse> Single(AsyncDuplexStreamingCall<TRequest, TResponse> call) =>
        new(StreamWire<TResponse, TRequest>.Single(call.ResponseStream, call.RequestStream), call);

    /// <summary>A batched bidi call: up to <paramref name="maxBatch"/> requests packed per message, answers unpacked as they come.</summary>
    public static OpenedStream<TRequest, TResponse> Batched<TRequests, TResponses>(AsyncDuplexStreamingCall<TRequests, TResponses> call,
        Func<IReadOnlyList<TRequest>, TRequests> pack, Func<TResponses, IReadOnlyList<TResponse>> unpack, int maxBatch) =>
        new(StreamWire<TResponse, TRequest>.Batched(call.ResponseStream, call.RequestStream, unpack, pack, maxBatch), call);

    public void Dispose() => Call.Dispose();
}
