using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Grpc.Core;
using Protos;
using ServiceDefaults.Hops;

namespace Benchmarks.Tests.Hops;

/// <summary>The client side of a shared bidi hop, in-process: its streams open on a fake producer, no Kestrel.</summary>
public class SharedStreamHopTests
{
    private const string Target = "producer-grpc";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly FakeDownstream producer = new();

    [Fact]
    public async Task Callers_sharing_the_streams_each_get_their_own_answer_whatever_order_they_come_back_in()
    {
        var held = new ConcurrentQueue<(GenerateRequest Request, TaskCompletionSource<Batch> Answer)>();
        producer.Answer = request =>
        {
            var answer = new TaskCompletionSource<Batch>(TaskCreationOptions.RunContinuationsAsynchronously);
            held.Enqueue((request, answer));
            return answer.Task;
        };
        using var hop = Hop(streams: 2);

        long[] seeds = [.. Enumerable.Range(100, 20)];
        var calls = seeds.Select(seed => hop.CallAsync(new GenerateRequest { Seed = seed }, null, CancellationToken.None)).ToArray();
        await Until(() => held.Count == seeds.Length);
        foreach (var (request, answer) in held.Reverse()) answer.SetResult(FakeDownstream.BatchFor(request.Seed));
        var batches = await Task.WhenAll(calls).WaitAsync(Patience);

        Assert.Equal(seeds, batches.Select(b => (long)b.Records.Single().Id));
        Assert.Equal(seeds.Length, held.Select(h => h.Request.CorrelationId).Distinct().Count());
        Assert.All(held, h => Assert.InRange(h.Request.TimeoutMs, 1u, 5000u));
        Assert.Equal(2, producer.Opened);
    }

    [Fact]
    public async Task A_faulted_answer_fails_only_its_caller_with_the_status_it_carries()
    {
        producer.Answer = request => Task.FromResult(request.Seed == 13
            ? new Batch { Fault = new Fault { Code = (int)StatusCode.NotFound, Detail = "no batch 13" } }
            : FakeDownstream.BatchFor(request.Seed));
        using var hop = Hop(streams: 1);

        var before = hop.CallAsync(new GenerateRequest { Seed = 12 }, null, CancellationToken.None);
        var faulted = hop.CallAsync(new GenerateRequest { Seed = 13 }, null, CancellationToken.None);
        var after = hop.CallAsync(new GenerateRequest { Seed = 14 }, null, CancellationToken.None);

        var e = await Assert.ThrowsAsync<RpcException>(() => faulted.WaitAsync(Patience));
        Assert.Equal((StatusCode.NotFound, "no batch 13"), (e.StatusCode, e.Status.Detail));
        Assert.Equal(12, (await before.WaitAsync(Patience)).Records.Single().Id);
        Assert.Equal(14, (await after.WaitAsync(Patience)).Records.Single().Id);
        Assert.Equal(1, producer.Opened);
    }

    [Fact]
    public async Task A_broken_stream_fails_the_callers_waiting_on_it_and_the_next_call_opens_a_new_one()
    {
        var never = new TaskCompletionSource<Batch>();
        producer.Answer = _ => never.Task;
        using var hop = Hop(streams: 1);

        var waiting = new[] { 1L, 2L }.Select(seed => hop.CallAsync(new GenerateRequest { Seed = seed }, null, CancellationToken.None)).ToArray();
        await Until(() => producer.Received == 2);
        producer.BreakLatest(new RpcException(new Status(StatusCode.Unavailable, "connection reset")));

        foreach (var call in waiting)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Patience));
            Assert.Equal((StatusCode.Unavailable, $"{Target} is unavailable: connection reset"), (e.StatusCode, e.Status.Detail));
        }
        producer.Answer = request => Task.FromResult(FakeDownstream.BatchFor(request.Seed));
        var recovered = await hop.CallAsync(new GenerateRequest { Seed = 3 }, null, CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(3, recovered.Records.Single().Id);
        Assert.Equal(2, producer.Opened);
    }

    [Fact]
    public async Task An_answer_later_than_its_callers_deadline_is_DeadlineExceeded_and_never_reaches_another_caller()
    {
        var late = new TaskCompletionSource<Batch>(TaskCreationOptions.RunContinuationsAsynchronously);
        producer.Answer = _ => late.Task;
        using var hop = Hop(streams: 1);

        var deadline = DateTime.UtcNow.AddMilliseconds(100);
        var e = await Assert.ThrowsAsync<RpcException>(() => hop.CallAsync(new GenerateRequest { Seed = 1 }, deadline, CancellationToken.None).WaitAsync(Patience));
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        // What was left of the caller's 100 ms when the call began.
        var budget = Regex.Match(e.Status.Detail, $"^{Target} did not answer within ([0-9]+) ms$");
        Assert.True(budget.Success, e.Status.Detail);
        Assert.InRange(int.Parse(budget.Groups[1].Value), 1, 100);

        var next = new TaskCompletionSource<Batch>(TaskCreationOptions.RunContinuationsAsynchronously);
        producer.Answer = _ => next.Task;
        var call = hop.CallAsync(new GenerateRequest { Seed = 2 }, null, CancellationToken.None);
        await Until(() => producer.Received == 2);
        late.SetResult(FakeDownstream.BatchFor(1));
        next.SetResult(FakeDownstream.BatchFor(2));

        Assert.Equal(2, (await call.WaitAsync(Patience)).Records.Single().Id);
        Assert.Equal(1, producer.Opened);
    }

    private SharedStreamHop<GenerateRequest, Batch> Hop(int streams) =>
        new(options => OpenedStream<GenerateRequest, Batch>.Single(producer.Open(options)), Target, streams, timeout: TimeSpan.FromSeconds(5), outboxCapacity: 64);

    private static async Task Until(Func<bool> condition)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(5, patience.Token);
    }
}
