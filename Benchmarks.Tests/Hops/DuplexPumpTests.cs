using Benchmarks.Tests.Fakes;
using Grpc.Core;
using Protos;
using ServiceDefaults;
using ServiceDefaults.Hops;

namespace Benchmarks.Tests.Hops;

/// <summary>The server side of a bidi hop, in-process: fake streams and call, a handler each test scripts, no Kestrel.</summary>
public class DuplexPumpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly StreamPipe<Echo> requests = new();
    private readonly StreamPipe<Echo> responses = new();
    private readonly FakeCallContext call = new();
    private readonly FakeLifetime lifetime = new();
    private readonly RequestCount counted = new(null, null);

    [Fact]
    public async Task Answers_carry_their_correlation_ids_and_come_back_as_they_finish()
    {
        var slowDone = new TaskCompletionSource<Echo>(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = Serve((request, _) => request.CorrelationId == 1 ? new ValueTask<Echo>(slowDone.Task) : ValueTask.FromResult(new Echo()));

        await Send(1, 2);
        Assert.Equal(2ul, (await responses.NextAsync()).CorrelationId);
        slowDone.SetResult(new Echo());
        Assert.Equal(1ul, (await responses.NextAsync()).CorrelationId);

        await requests.CompleteAsync();
        await served.WaitAsync(Patience);
        Assert.Equal((2, 0, 0), (counted.Served, counted.Failed, counted.InFlight));
    }

    [Fact]
    public async Task A_handler_throwing_an_RpcException_faults_its_request_with_that_status_and_the_stream_goes_on()
    {
        var served = Serve((request, _) => request.CorrelationId == 1
            ? throw new RpcException(new Status(StatusCode.NotFound, "no batch 1"))
            : ValueTask.FromResult(new Echo()));

        await Send(1, 2);
        var answers = await AnswersAsync(2);
        await requests.CompleteAsync();
        await served.WaitAsync(Patience);

        Assert.Equal(new Fault { Code = (int)StatusCode.NotFound, Detail = "no batch 1" }, answers[1].Fault);
        Assert.Null(answers[2].Fault);
        Assert.Equal((1, 1), (counted.Served, counted.Failed));
    }

    [Fact]
    public async Task Any_other_exception_faults_its_request_as_Internal_with_its_message()
    {
        var served = Serve((_, _) => throw new InvalidOperationException("the work broke"));

        await Send(1);
        var answer = await responses.NextAsync();
        await requests.CompleteAsync();
        await served.WaitAsync(Patience);

        Assert.Equal(new Fault { Code = (int)StatusCode.Internal, Detail = "the work broke" }, answer.Fault);
        Assert.Equal((0, 1), (counted.Served, counted.Failed));
    }

    [Fact]
    public async Task A_request_whose_own_time_passes_answers_DeadlineExceeded_and_its_work_is_cancelled()
    {
        var deadlines = new List<DateTime>();
        var served = Serve(async (_, incoming) =>
        {
            deadlines.Add(incoming.Deadline);
            await Task.Delay(Timeout.Infinite, incoming.Cancelled);
            return new Echo();
        });

        var sent = DateTime.UtcNow;
        await requests.WriteAsync(new Echo { CorrelationId = 7, TimeoutMs = 50 });
        var answer = await responses.NextAsync();
        await requests.CompleteAsync();
        await served.WaitAsync(Patience);

        Assert.Equal(7ul, answer.CorrelationId);
        Assert.Equal(new Fault { Code = (int)StatusCode.DeadlineExceeded, Detail = "the request's 50 ms passed" }, answer.Fault);
        // The handler was told the message's own deadline, not the stream's (which has none).
        Assert.InRange(Assert.Single(deadlines), sent.AddMilliseconds(50), sent.AddMilliseconds(1000));
        Assert.Equal((0, 1), (counted.Served, counted.Failed));
    }

    [Fact]
    public async Task No_more_than_MaxInFlightPerStream_requests_are_handled_at_once()
    {
        const int bound = 3;
        var running = 0;
        var mostAtOnce = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = Serve(async (_, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            await gate.Task;
            Interlocked.Decrement(ref running);
            return new Echo();
        }, maxInFlight: bound);

        await Send([.. Enumerable.Range(1, 10).Select(i => (ulong)i)]);
        await Until(() => Volatile.Read(ref running) == bound);
        // Given time, a pump without the bound would have taken on all ten.
        await Task.Delay(100);
        Assert.Equal(bound, Volatile.Read(ref running));
        gate.SetResult();

        var answers = await AnswersAsync(10);
        await requests.CompleteAsync();
        await served.WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), answers.Keys.Order());
        Assert.Equal(bound, mostAtOnce);
    }

    [Fact]
    public async Task An_unreadable_frame_ends_the_call_with_InvalidArgument_after_the_earlier_requests_are_answered()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = Serve(async (_, _) =>
        {
            await gate.Task;
            return new Echo();
        });

        await Send(1, 2);
        requests.Break(new InvalidDataException("invalid wire type"));
        await Task.Delay(50);
        Assert.False(served.IsCompleted, "the call ended before the requests in hand were answered");
        gate.SetResult();

        var e = await Assert.ThrowsAsync<RpcException>(() => served.WaitAsync(Patience));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("a message on this stream could not be read: invalid wire type", e.Status.Detail);
        Assert.Equal([1ul, 2ul], (await AnswersAsync(2)).Keys.Order());
        Assert.Equal((2, 0), (counted.Served, counted.Failed));
    }

    [Fact]
    public async Task When_the_service_stops_it_reads_no_more_and_finishes_the_requests_in_hand()
    {
        var handled = new List<ulong>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = Serve(async (request, _) =>
        {
            lock (handled) handled.Add(request.CorrelationId);
            await gate.Task;
            return new Echo();
        });

        await Send(1, 2);
        await Until(() => { lock (handled) return handled.Count == 2; });
        lifetime.StopApplication();
        await Send(3);
        gate.SetResult();

        await served.WaitAsync(Patience);
        Assert.Equal([1ul, 2ul], (await AnswersAsync(2)).Keys.Order());
        Assert.Equal([1ul, 2ul], handled.Order());
        Assert.Equal((2, 0, 0), (counted.Served, counted.Failed, counted.InFlight));
    }

    [Fact]
    public async Task When_the_caller_goes_away_the_stream_ends_only_once_the_requests_in_hand_are_settled()
    {
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = Serve(async (_, _) =>
        {
            taken.SetResult();
            // Work that does not watch the cancellation, as CPU-bound work doesn't.
            await finish.Task;
            return new Echo();
        });

        await Send(1);
        await taken.Task.WaitAsync(Patience);
        call.EndCall();
        await Task.Delay(200);
        Assert.False(served.IsCompleted, "the stream ended with a request still in hand, counted in flight");
        finish.SetResult();

        await served.WaitAsync(Patience);
        Assert.Equal((1, 0, 0), (counted.Served, counted.Failed, counted.InFlight));
    }

    [Fact]
    public async Task Every_request_taken_on_is_counted_once_as_served_or_failed()
    {
        var served = Serve(async (request, incoming) =>
        {
            await Task.Yield();
            if (request.CorrelationId % 4 == 2) await Task.Delay(Timeout.Infinite, incoming.Cancelled);
            return (request.CorrelationId % 4) switch
            {
                0 => throw new RpcException(new Status(StatusCode.Unavailable, "down")),
                1 => throw new InvalidOperationException("broke"),
                _ => new Echo(),
            };
        });

        for (ulong id = 1; id <= 40; id++) await requests.WriteAsync(new Echo { CorrelationId = id, TimeoutMs = id % 4 == 2 ? 20u : 0u });
        var answers = await AnswersAsync(40);
        await requests.CompleteAsync();
        await served.WaitAsync(Patience);

        Assert.Equal(answers.Values.Count(a => a.Fault is null), counted.Served);
        Assert.Equal(answers.Values.Count(a => a.Fault is not null), counted.Failed);
        Assert.Equal((10, 30, 0), (counted.Served, counted.Failed, counted.InFlight));
    }

    [Fact]
    public async Task A_batched_stream_takes_every_request_of_a_message_and_packs_answers_up_to_its_limit()
    {
        var packedRequests = new StreamPipe<GenerateRequests>();
        var packedAnswers = new StreamPipe<Batches>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        var served = new DuplexPump(new ChainOptions { MaxBatch = 2 }, lifetime).ServeBatchedAsync(packedRequests, packedAnswers, call,
            packed => packed.Requests, Envelopes.Pack,
            async (GenerateRequest request, Incoming _) =>
            {
                Interlocked.Increment(ref held);
                await release.Task;
                return new Batch { Records = { new Protos.Record { Id = (int)request.CorrelationId } } };
            },
            fault => new Batch { Fault = fault });

        await packedRequests.WriteAsync(Envelopes.Pack(Enumerable.Range(1, 5).Select(i => new GenerateRequest { CorrelationId = (ulong)i }).ToList()));
        using (var patience = new CancellationTokenSource(Patience))
        {
            while (Volatile.Read(ref held) < 5) await Task.Delay(5, patience.Token);
        }
        release.SetResult();
        var answers = new List<Batch>();
        while (answers.Count < 5)
        {
            var message = await packedAnswers.NextAsync();
            Assert.InRange(message.Batches_.Count, 1, 2);
            answers.AddRange(message.Batches_);
        }
        await packedRequests.CompleteAsync();
        await served.WaitAsync(Patience);

        // Each answer is its own request's, matched by id as on a plain stream.
        Assert.Equal([1ul, 2, 3, 4, 5], answers.Select(a => a.CorrelationId).Order().ToArray());
        Assert.All(answers, a => Assert.Equal((int)a.CorrelationId, a.Records.Single().Id));
    }

    private Task Serve(DuplexPump.Handler<Echo, Echo> handle, int maxInFlight = 16) =>
        new DuplexPump(new ChainOptions { MaxInFlightPerStream = maxInFlight }, lifetime)
            .ServeAsync(requests, responses, call, handle, fault => new Echo { Fault = fault }, counted);

    private async Task Send(params ulong[] ids)
    {
        foreach (var id in ids) await requests.WriteAsync(new Echo { CorrelationId = id });
    }

    private async Task<Dictionary<ulong, Echo>> AnswersAsync(int count)
    {
        var answers = new Dictionary<ulong, Echo>();
        while (answers.Count < count)
        {
            var answer = await responses.NextAsync();
            Assert.True(answers.TryAdd(answer.CorrelationId, answer), $"request {answer.CorrelationId} was answered twice");
        }
        return answers;
    }

    private static async Task Until(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(5, patience.Token);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
        }
    }
}
