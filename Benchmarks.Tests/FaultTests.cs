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
using ServiceDefaults.Hops;

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
        var clock = Stopwatch.StartNew();
        await using (var target = LoadTargets.Create(settings))
        {
            var run = LoadRun.RunAsync("kill", target, settings, null, ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await chain.SignalAsync(victim, Signal.Kill, ct);
            result = await run;
        }
        var after = await chain.StatsAsync(edge, ct);

        // Failures come back at once: the run ends on time, not after its requests' timeouts.
        Assert.InRange(clock.Elapsed, settings.Duration!.Value, settings.Duration.Value + settings.Timeout);
        Assert.True(result.Succeeded > 0 && result.Failed > 0, $"{result.Succeeded} succeeded, {result.Failed} failed");
        Assert.Equal(result.Sent, result.Succeeded + result.Failed);
        var kind = transport == "rest" ? "HTTP 502" : "gRPC Unavailable";
        Assert.Equal([kind], result.Errors.Keys);
        Assert.Equal(result.Succeeded, after.Served - before.Served);
        Assert.Equal(result.Failed, after.Failed - before.Failed);
        Assert.Equal(0, after.InFlight);

        await chain.StartAsync(victim, ct);
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
    [InlineData("grpc", StreamHop<ProcessRequest, Batch>.SharedValue)]
    [InlineData("grpc", StreamHop<ProcessRequest, Batch>.PerRequestValue)]
    public async Task A_slow_producer_fails_requests_at_the_callers_deadline_and_their_work_is_cancelled_down_the_chain(string transport, string? mode)
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
            var failures = await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => transport == "rest" ? RestTimeoutAsync(deadline, ct) : GrpcTimeoutAsync(deadline, mode!, ct)));
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
        var answers = await Task.WhenAll(calls);
        Assert.All(answers, a => Assert.True(a is null, a));
        await chain.StartAsync(producer, ct);
        await ServesAgainAsync(transport, ct);
    }

    [Theory]
    [InlineData("rest")]
    [InlineData("grpc")]
    public async Task Overload_far_above_capacity_for_30_s_keeps_every_service_up_with_bounded_memory_and_latency_recovers(string transport)
    {
        var ct = Eventually.Within(300);
        var services = ChainOf(transport);
        var pids = await Task.WhenAll(services.Select(async s => (await chain.StatsAsync(s, ct)).ProcessId));
        var normal = Load(transport, TimeSpan.FromSeconds(3)) with { Warmup = TimeSpan.FromSeconds(1) };
        var baseline = await Run("baseline", normal, ct);

        // Four times what the chain just managed, on many connections, up to 1,000 requests in flight (twenty times what
        // the chain needs): the services' own limits (connections, streams, the shared streams' bounded outboxes) are
        // what holds their memory.
        var overload = Load(transport, TimeSpan.FromSeconds(30)) with
        {
            Rate = 4 * baseline.RequestsPerSecond, Concurrency = 1000, Connections = transport == "rest" ? 250 : 10,
        };
        var peak = new Dictionary<string, ServiceStats>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                foreach (var service in services)
                {
                    var now = await chain.StatsAsync(service, ct);
                    if (!peak.TryGetValue(service, out var top) || now.WorkingSetBytes > top.WorkingSetBytes) peak[service] = now;
                }
                await Task.Delay(1000, ct);
            }
        }, ct);
        var result = await Run("overload", overload, ct);
        await sampling.CancelAsync();
        await sampler;

        output.WriteLine($"baseline {baseline.RequestsPerSecond:N0}/s p50 {baseline.Latency.P50Ms:0.0} ms; overload offered {overload.Rate:N0}/s: " +
            $"{result.Sent:N0} sent, {result.Succeeded:N0} served, errors [{string.Join(", ", result.Errors.Select(e => $"{e.Key} {e.Value}"))}], " +
            $"p50 {result.Latency.P50Ms:0} ms p99 {result.Latency.P99Ms:0} ms from intended send; peak working set " +
            string.Join(", ", peak.Select(p => $"{p.Key} {p.Value.WorkingSetBytes >> 20} MB")));
        Assert.Equal(result.Sent, result.Succeeded + result.Failed);
        Assert.True(result.Succeeded > 0, "nothing was served under overload");
        Assert.Equal(pids, await Task.WhenAll(services.Select(async s => (await chain.StatsAsync(s, ct)).ProcessId)));
        Assert.All(peak, p => Assert.True(p.Value.WorkingSetBytes < 1L << 30, $"{p.Key} grew to {p.Value}"));

        // Seconds after the load drops the chain is back to normal: nothing queued is still being worked off.
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var recovered = await Run("after", normal with { Warmup = TimeSpan.Zero }, ct);
        output.WriteLine($"after: {recovered.RequestsPerSecond:N0}/s p50 {recovered.Latency.P50Ms:0.0} ms");
        Assert.Equal(0, recovered.Failed);
        Assert.True(recovered.Latency.P50Ms <= Math.Max(3 * baseline.Latency.P50Ms, baseline.Latency.P50Ms + 20),
            $"median latency {recovered.Latency.P50Ms:0.0} ms after overload against {baseline.Latency.P50Ms:0.0} ms before " +
            $"(overload: {result.Sent:N0} sent, {result.Failed:N0} failed {string.Join(", ", result.Errors.Select(e => $"{e.Key} {e.Value}"))}; peaks {string.Join("; ", peak.Select(p => $"{p.Key} {p.Value.WorkingSetBytes >> 20} MB"))})");
        foreach (var service in services)
        {
            await Eventually.TrueAsync(async () => (await chain.StatsAsync(service, ct)).InFlight == 0, TimeSpan.FromSeconds(5), $"{service} still has requests in flight", ct);
        }
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
            Target = TargetKind.GrpcUnary, Address = chain.App.GetEndpoint("aggregator-grpc", "grpc"), StreamMode = "shared",
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

    private async Task<string?> GrpcOkAsync(CancellationToken ct, string? mode = null)
    {
        var headers = mode is null ? null : ModeHeaders(mode);
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

    private static Metadata ModeHeaders(string mode) => new() { { StreamHop<ProcessRequest, Batch>.ModeHeader, mode } };

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

    private async Task<Failure> GrpcTimeoutAsync(TimeSpan deadline, string mode, CancellationToken ct)
    {
        var headers = ModeHeaders(mode);
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            chain.Grpc.AggregateAsync(new AggregateRequest(), headers, DateTime.UtcNow + deadline, ct).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        return new Failure(clock.Elapsed - deadline, e.Status.Detail);
    }
}
