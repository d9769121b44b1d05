using System.Diagnostics;
using Xunit.Abstractions;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Grpc.Core;
using LoadGenerator;
using LoadGenerator.Runs;
using LoadGenerator.Targets;
using Protos;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>
/// Failure while the chains are under load, end to end: services killed, slowed and stopped. Every run ends by its
/// deadline, every request is counted once as a success or a failure of a named kind, and the chain serves again when
/// the service returns, with nothing else restarted.
/// </summary>
[Collection(ChainCollection.Name)]
public class FaultTests(ChainApp chain, ITestOutputHelper output)
{
    [Theory]
    [InlineData("rest", "processor-rest")]
    [InlineData("rest", "producer-rest")]
    [InlineData("grpc", "processor-grpc")]
    [InlineData("grpc", "producer-grpc")]
    public async Task A_service_killed_mid_run_fails_requests_by_kind_the_counts_agree_and_the_chain_recovers_when_it_returns(string transport, string victim)
    {
        var ct = Eventually.Within(240);
        var edge = $"aggregator-{transport}";
        var settings = Load(transport, TimeSpan.FromSeconds(6));
        var before = await chain.StatsAsync(edge, ct);

        RunResult result;
        ServiceStats after;
        TimeSpan ran;
        var clock = Stopwatch.StartNew();
        try
        {
            await using var target = LoadTargets.Create(settings);
            var run = LoadRun.RunAsync("kill", target, settings, null, ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await chain.SignalAsync(victim, Signal.Kill, ct);
            result = await run;
            ran = clock.Elapsed;
            after = await chain.StatsAsync(edge, ct);
        }
        finally
        {
            // Whatever happened here, the tests after this one need the chain whole.
            await chain.StartAsync(victim, ct);
        }

        // Failures come back at once: the run ends on time, not after its requests' timeouts (the restart after it not counted).
        Assert.InRange(ran, settings.Duration!.Value, settings.Duration.Value + settings.Timeout);
        Assert.True(result.Succeeded > 0 && result.Failed > 0, $"{result.Succeeded} succeeded, {result.Failed} failed");
        // Counted apart (sent where dispatched, outcomes where answered), so a request lost on the way would show here.
        Assert.Equal(result.Sent, result.Succeeded + result.Failed);
        Assert.Equal(0, result.Unsent);
        var kind = transport == "rest" ? "HTTP 502" : "gRPC Unavailable";
        Assert.Equal([kind], result.Errors.Keys);
        Assert.Equal(result.Succeeded, after.Served - before.Served);
        Assert.Equal(result.Failed, after.Failed - before.Failed);
        Assert.Equal(0, after.InFlight);

        await ServesAgainAsync(transport, ct);
        var again = await Run(transport, settings with { Duration = TimeSpan.FromSeconds(1) }, ct);
        Assert.Equal(0, again.Failed);
        if (transport == "grpc")
        {
            // Its caller's shared streams broke with the process; they re-opened by themselves.
            Assert.True((await chain.StatsAsync(victim, ct)).StreamsOpen > 0, $"{victim} serves no streams after its return");
        }
    }

    [Theory]
    [InlineData("rest", null)]
    [InlineData("grpc", StreamMode.Shared)]
    [InlineData("grpc", StreamMode.PerRequest)]
    public async Task A_slow_producer_fails_requests_at_the_callers_deadline_and_their_work_is_cancelled_down_the_chain(string transport, StreamMode? mode)
    {
        var ct = Eventually.Within(120);
        var producer = $"producer-{transport}";
        var services = ChainOf(transport);
        var deadline = TimeSpan.FromMilliseconds(1000);
        const int requests = 8;
        // Connections and streams open and code warmed first: a cold first call could spend its whole deadline on that.
        Assert.Null(transport == "rest" ? await RestOkAsync(ct) : await GrpcOkAsync(ct, mode));
        await chain.SetDelayAsync(producer, 10_000, ct);
        try
        {
            var before = await chain.StatsAsync(producer, ct);
            var clock = Stopwatch.StartNew();
            var failures = await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => transport == "rest" ? RestTimeoutAsync(deadline, ct) : GrpcTimeoutAsync(deadline, mode!.Value, ct)));
            Assert.All(failures, f => Assert.True(f.Late < TimeSpan.FromSeconds(3), $"answered {f.Late} after the deadline: {f.Detail}"));

            // The producer would hold each 10 s; they end as failures as soon as the deadline cancels their work.
            await Eventually.TrueAsync(async () => (await chain.StatsAsync(producer, ct)).Failed - before.Failed == requests, TimeSpan.FromSeconds(6),
                $"{producer} did not fail all {requests} requests", ct);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"work was not cancelled: the last ended after {clock.Elapsed}");
            foreach (var service in services)
            {
                await Eventually.TrueAsync(async () => (await chain.StatsAsync(service, ct)).InFlight == 0, TimeSpan.FromSeconds(2), $"{service} still has requests in flight", ct);
            }
            Assert.Equal(before.Served, (await chain.StatsAsync(producer, ct)).Served);
        }
        finally
        {
            await chain.SetDelayAsync(producer, 0, ct);
        }
        await ServesAgainAsync(transport, ct);
    }

    [Theory]
    [InlineData("rest")]
    [InlineData("grpc")]
    public async Task A_producer_stopped_with_SIGTERM_finishes_the_requests_it_has_accepted(string transport)
    {
        var ct = Eventually.Within(180);
        var producer = $"producer-{transport}";
        const int requests = 10;
        await chain.SetDelayAsync(producer, 1500, ct);
        var calls = Enumerable.Range(0, requests).Select(_ => transport == "rest" ? RestOkAsync(ct) : GrpcOkAsync(ct)).ToList();
        await Eventually.TrueAsync(async () => (await chain.StatsAsync(producer, ct)).InFlight == requests, TimeSpan.FromSeconds(10),
            $"{producer} did not take all {requests} requests", ct);

        await chain.SignalAsync(producer, Signal.Term, ct);

        // Accepted before the signal, so answered before the process ended; the restarted producer has no delay.
        string?[] answers;
        try
        {
            answers = await Task.WhenAll(calls);
        }
        finally
        {
            // Whatever happened here, the tests after this one need the chain whole.
            await chain.StartAsync(producer, ct);
        }
        Assert.All(answers, a => Assert.True(a is null, a));
        await ServesAgainAsync(transport, ct);
    }

    [Fact]
    public async Task An_open_loop_that_a_stall_holds_back_counts_each_requests_latency_from_its_intended_send_time()
    {
        var ct = Eventually.Within(120);
        // 50 requests a second with at most 5 in flight: when the producer stalls for 1.5 s the 5 slots fill at once, and
        // the ~75 requests due meanwhile can only leave when it ends. Measured from when each was due, they waited;
        // measured from when each left (coordinated omission), only the 5 stuck ones would show it.
        // The run is 300 requests, not 6 s: bounded by time, a pause of over 100 ms (five slots at 50/s) in its last
        // moments, whatever caused it, left the requests due then unsent (16 of 300 in one CI run, one stall, p50 7 ms),
        // which says nothing about where latency counts from. A count bound sends every request, late ones counted late.
        // A warm-up at the test's rate first: a cold chain (the first test after start-up) took far longer per request.
        var warmup = TimeSpan.FromSeconds(2);
        var settings = Load("rest", TimeSpan.FromSeconds(6)) with
        {
            Duration = null, Requests = 300, Rate = 50, Concurrency = 5, Connections = 5, Warmup = warmup,
        };
        Assert.Null(await RestOkAsync(ct));
        RunResult result;
        await using (var target = LoadTargets.Create(settings))
        {
            var run = LoadRun.RunAsync("stall", target, settings, null, ct);
            try
            {
                await Task.Delay(warmup + TimeSpan.FromSeconds(1), ct);
                await chain.SetDelayAsync("producer-rest", 1500, ct);
                // One stall, not two: the knob is turned off as soon as the producer holds every slot, long before they end.
                // Turned off 1.5 s later it raced their end, and the next five requests, if they got there first, stalled
                // a second round (max 3 s, up to 185 left unsent when the run ended).
                await Eventually.TrueAsync(async () => (await chain.StatsAsync("producer-rest", ct)).InFlight >= settings.Concurrency,
                    TimeSpan.FromSeconds(1), "the stalled producer never held every slot", ct);
            }
            finally
            {
                await chain.SetDelayAsync("producer-rest", 0, ct);
            }
            result = await run;
        }

        output.WriteLine($"{result.Sent} sent, {result.Unsent} unsent; p50 {result.Latency.P50Ms:0} ms, p90 {result.Latency.P90Ms:0} ms, " +
            $"p99 {result.Latency.P99Ms:0} ms, max {result.Latency.MaxMs:0} ms; per second (answered, p99 ms): " +
            string.Join(", ", result.PerSecond?.Select(s => $"{s.Succeeded} {s.P99Ms:0}") ?? []));
        Assert.Equal((300L, 0L), (result.Sent, result.Unsent));
        Assert.Equal(result.Sent, result.Succeeded);
        Assert.True(result.Latency.P90Ms >= 700, $"p90 {result.Latency.P90Ms:0} ms: the requests held back by the stall did not count their wait");
        Assert.True(result.Latency.MaxMs >= 1400, $"max {result.Latency.MaxMs:0} ms does not cover the 1.5 s stall");
        Assert.True(result.Latency.P50Ms < 500, $"p50 {result.Latency.P50Ms:0} ms: most requests were never near the stall");
    }

    /// <remarks>
    /// Overload comes from a slow producer, not from CPU. On two shared cores a load generator that pays per call about
    /// what the chain pays can't offer four times a CPU-bound chain's capacity: it managed about 8,000 gRPC calls a second,
    /// and the chain served every one even with its priority lowered to nice 19. Holding each request a second at the
    /// producer makes the services' own admission limits (250 REST connections; 10 HTTP/2 connections × 100 streams) bound
    /// the capacity, and four times that costs the generator little, so it is really offered.
    /// </remarks>
    [Theory]
    [InlineData("rest")]
    [InlineData("grpc")]
    public async Task Overload_at_four_times_capacity_for_20_s_keeps_every_service_up_with_bounded_memory_and_latency_recovers(string transport)
    {
        var ct = Eventually.Within(300);
        var services = ChainOf(transport);
        var producer = $"producer-{transport}";
        // Latency as a compare sees it: a closed loop of 50 in flight.
        var normal = Load(transport, TimeSpan.FromSeconds(3)) with
        {
            Warmup = TimeSpan.FromSeconds(1), Concurrency = 50, Connections = transport == "rest" ? 50 : 1,
        };
        var baseline = await Run("baseline", normal, ct);
        var before = await Task.WhenAll(services.Select(s => chain.StatsAsync(s, ct)));

        RunResult capacity, result;
        var peak = before.ToDictionary(s => s.ProcessId, s => s.WorkingSetBytes);
        var heap = new Dictionary<int, long>();
        var held = new Dictionary<int, long>();
        var timeout = TimeSpan.FromSeconds(3);
        // As many in flight as the services admit on these connections: each REST connection carries one request, each HTTP/2 one 100 streams.
        var connections = transport == "rest" ? 250 : 10;
        var admitted = transport == "rest" ? connections : 100 * connections;
        await chain.SetDelayAsync(producer, 1000, ct);
        try
        {
            capacity = await Run("capacity", Load(transport, TimeSpan.FromSeconds(4)) with
            {
                Concurrency = admitted, Connections = connections, Timeout = timeout,
            }, ct);
            // Four times that on a fixed schedule. The cap on requests in flight is twice what the rate could have
            // outstanding over a whole timeout, so it never holds the schedule back: what the chain can't take waits in the
            // load generator (the services admit no more) or times out.
            var rate = 4 * capacity.RequestsPerSecond;
            var overload = Load(transport, TimeSpan.FromSeconds(20)) with
            {
                Rate = rate, Timeout = timeout, Concurrency = (int)(2 * rate * timeout.TotalSeconds), Connections = connections,
            };
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    foreach (var service in services)
                    {
                        var now = await chain.StatsAsync(service, ct);
                        peak[now.ProcessId] = Math.Max(peak.GetValueOrDefault(now.ProcessId), now.WorkingSetBytes);
                        heap[now.ProcessId] = Math.Max(heap.GetValueOrDefault(now.ProcessId), now.GcHeapBytes);
                        held[now.ProcessId] = Math.Max(held.GetValueOrDefault(now.ProcessId), now.HeldBytes);
                    }
                    await Task.Delay(500, ct);
                }
            }, ct);
            result = await Run("overload", overload, ct);
            await sampling.CancelAsync();
            await sampler;
        }
        finally
        {
            await chain.SetDelayAsync(producer, 0, ct);
        }

        string Peaks() => string.Join(", ", before.Zip(services, (b, s) => $"{s} {b.WorkingSetBytes >> 20} → {peak[b.ProcessId] >> 20} MB (GC heap {b.GcHeapBytes >> 20} → {heap.GetValueOrDefault(b.ProcessId) >> 20} MB, held after GC {b.HeldBytes >> 20} → {held.GetValueOrDefault(b.ProcessId) >> 20} MB)"));
        var asked = result.Settings.Rate!.Value;
        output.WriteLine($"baseline p50 {baseline.Latency.P50Ms:0.0} ms; capacity with a 1 s producer {capacity.RequestsPerSecond:N0}/s at {admitted:N0} in flight; " +
            $"asked {asked:N0}/s, sent {result.SentPerSecond:N0}/s ({result.Sent:N0} sent, {result.Unsent:N0} unsent), {result.Succeeded:N0} served " +
            $"({result.RequestsPerSecond:N0}/s), errors [{string.Join(", ", result.Errors.Select(e => $"{e.Key} {e.Value}"))}]; working sets {Peaks()}");
        // Overload was really offered: the schedule kept to within 10%, nothing held back, four times what the chain could do.
        Assert.True(result.SentPerSecond >= 0.9 * asked, $"sent {result.SentPerSecond:N0}/s of {asked:N0}/s asked");
        Assert.Equal(0, result.Unsent);
        Assert.True(result.SentPerSecond >= 3 * result.RequestsPerSecond, $"sent {result.SentPerSecond:N0}/s, served {result.RequestsPerSecond:N0}/s: not an overload");
        Assert.Equal(result.Sent, result.Succeeded + result.Failed);
        Assert.True(result.Succeeded > 0, "nothing was served under overload");
        // Timeouts, and on gRPC Kestrel's guard against rapid resets: a client cancelling streams by the thousand (every
        // expired deadline cancels one) has its new streams refused with ENHANCE_YOUR_CALM (ResourceExhausted) or
        // Unavailable. A refused stream's DATA frame, already on its way, then makes Kestrel close the whole connection
        // ("DATA frame to closed stream", a connection error), and the hundred calls in flight on it fail at once as the
        // server closing the connection. Anything else would be a failure of ours.
        Assert.All(result.Errors.Keys, kind => Assert.True(
            kind is "timeout" or "HTTP 504" or "gRPC Unavailable" or "gRPC ResourceExhausted" || kind.EndsWith(GrpcConnections.ConnectionClosed, StringComparison.Ordinal), kind));
        Assert.Equal(before.Select(s => s.ProcessId), await Task.WhenAll(services.Select(async s => (await chain.StatsAsync(s, ct)).ProcessId)));
        // Bounded: unbounded buffering once took a service to 1 GiB. Held is what survived each garbage collection. On one
        // machine the REST edge held 15 → 137 MB during the overload (GC heap 19 → 125-185 MB, working set +130-230 MB) and
        // 16 MB again after, with this build and the one before it alike, so a 100 MB bound on the working set failed there
        // every run. What the edge holds meanwhile is not yet known (a heap dump during the overload would say); 256 MB
        // still tells bounded from the 1 GiB of buffering.
        Assert.All(before, b => Assert.True(held[b.ProcessId] - b.HeldBytes < 256L << 20, Peaks()));

        // Seconds after the load drops the chain is back to normal: nothing queued is still being worked off.
        foreach (var service in services)
        {
            await Eventually.TrueAsync(async () => (await chain.StatsAsync(service, ct)).InFlight == 0, TimeSpan.FromSeconds(10), $"{service} still has requests in flight", ct);
        }
        var recovered = await Run("after", normal with { Warmup = TimeSpan.Zero }, ct);
        output.WriteLine($"after: {recovered.RequestsPerSecond:N0}/s p50 {recovered.Latency.P50Ms:0.0} ms");
        Assert.Equal(0, recovered.Failed);
        Assert.True(recovered.Latency.P50Ms <= Math.Max(3 * baseline.Latency.P50Ms, baseline.Latency.P50Ms + 20),
            $"median latency {recovered.Latency.P50Ms:0.0} ms after overload against {baseline.Latency.P50Ms:0.0} ms before");
    }

    private static string[] ChainOf(string transport) => [$"producer-{transport}", $"processor-{transport}", $"aggregator-{transport}"];

    private LoadSettings Load(string transport, TimeSpan duration) => transport == "rest"
        ? new LoadSettings
        {
            Target = TargetKind.Rest, Address = new Uri(chain.App.GetEndpoint("aggregator-rest", "http"), "/aggregate"),
            Duration = duration, Warmup = TimeSpan.Zero, Concurrency = 16, Connections = 16, Timeout = TimeSpan.FromSeconds(5),
        }
        : new LoadSettings
        {
            Target = TargetKind.GrpcUnary, Address = chain.App.GetEndpoint("aggregator-grpc", "grpc"), StreamMode = StreamMode.Shared,
            Duration = duration, Warmup = TimeSpan.Zero, Concurrency = 16, Connections = 1, Timeout = TimeSpan.FromSeconds(5),
        };

    private static async Task<RunResult> Run(string name, LoadSettings settings, CancellationToken ct)
    {
        await using var target = LoadTargets.Create(settings);
        return await LoadRun.RunAsync(name, target, settings, null, ct);
    }

    /// <summary>The chain answers again once the service it waited for is back (a restarted service takes a moment to warm up).</summary>
    private async Task ServesAgainAsync(string transport, CancellationToken ct) =>
        await Eventually.TrueAsync(async () => await (transport == "rest" ? RestOkAsync(ct) : GrpcOkAsync(ct)) is null, TimeSpan.FromSeconds(30),
            $"the {transport} chain does not serve again", ct);

    /// <summary>One default request on the chain: null when it got the right answer, else what went wrong.</summary>
    private async Task<string?> RestOkAsync(CancellationToken ct)
    {
        using var response = await chain.Rest.GetAsync("/aggregate", ct);
        return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}";
    }

    private async Task<string?> GrpcOkAsync(CancellationToken ct, StreamMode? mode = null)
    {
        var headers = mode is { } m ? StreamModes.Headers(m) : null;
        try
        {
            var answer = await chain.Grpc.AggregateAsync(new AggregateRequest(), headers, DateTime.UtcNow.AddSeconds(20), ct);
            return answer.Count == BatchSpec.DefaultSize ? null : $"count {answer.Count}";
        }
        catch (RpcException e)
        {
            return $"{e.StatusCode}: {e.Status.Detail}";
        }
    }

    private sealed record Failure(TimeSpan Late, string Detail);

    private async Task<Failure> RestTimeoutAsync(TimeSpan deadline, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/aggregate");
        request.Headers.Add(RequestBudget.Header, ((int)deadline.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var clock = Stopwatch.StartNew();
        using var response = await chain.Rest.SendAsync(request, ct);
        var late = clock.Elapsed - deadline;
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        return new Failure(late, problem.GetProperty("detail").GetString()!);
    }

    private async Task<Failure> GrpcTimeoutAsync(TimeSpan deadline, StreamMode mode, CancellationToken ct)
    {
        var headers = StreamModes.Headers(mode);
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            chain.Grpc.AggregateAsync(new AggregateRequest(), headers, DateTime.UtcNow + deadline, ct).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        return new Failure(clock.Elapsed - deadline, e.Status.Detail);
    }
}
