using System.Diagnostics;
using LoadGenerator;
using LoadGenerator.Runs;
using LoadGenerator.Targets;

namespace Benchmarks.Tests;

/// <summary>The load generator's measuring: its histogram, and what open and closed loops make of a stall.</summary>
public class LoadRunTests
{
    [Fact]
    public void Percentiles_of_a_known_uniform_distribution()
    {
        var recorder = new LatencyRecorder();
        // 1..10,000 µs, each once: p50 = 5 ms, p90 = 9 ms, p99 = 9.9 ms, max = 10 ms (HdrHistogram keeps 3 digits).
        for (var micros = 1; micros <= 10_000; micros++)
        {
            recorder.Record(TimeSpan.FromMicroseconds(micros), null);
        }
        var summary = recorder.Summary();

        Assert.Equal(10_000, recorder.Succeeded);
        Assert.InRange(summary.P50Ms, 4.95, 5.1);
        Assert.InRange(summary.P90Ms, 8.95, 9.1);
        Assert.InRange(summary.P99Ms, 9.85, 10.0);
        Assert.InRange(summary.MaxMs, 9.95, 10.1);
        Assert.InRange(summary.MeanMs, 4.95, 5.1);
    }

    [Fact]
    public void Errors_are_counted_by_kind_and_not_as_successes()
    {
        var recorder = new LatencyRecorder();
        recorder.Record(TimeSpan.FromMilliseconds(1), null);
        recorder.Record(TimeSpan.FromMilliseconds(1), "HTTP 502");
        recorder.Record(TimeSpan.FromMilliseconds(1), "HTTP 502");
        recorder.Record(TimeSpan.FromMilliseconds(1), "timeout");

        Assert.Equal(1, recorder.Succeeded);
        Assert.Equal(3, recorder.Failed);
        Assert.Equal(new Dictionary<string, long> { ["HTTP 502"] = 2, ["timeout"] = 1 }, recorder.Errors);
    }

    [Fact]
    public void Latency_percentiles_are_of_the_successes_alone()
    {
        var recorder = new LatencyRecorder();
        for (var i = 0; i < 90; i++) recorder.Record(TimeSpan.FromMilliseconds(2), null);
        // A timeout answers late, a refused connection at once: neither is a service time.
        for (var i = 0; i < 10; i++) recorder.Record(TimeSpan.FromMilliseconds(i % 2 == 0 ? 5000 : 0.01), "timeout");

        var summary = recorder.Summary();
        Assert.InRange(summary.P99Ms, 1.99, 2.01);
        Assert.InRange(summary.MaxMs, 1.99, 2.01);
        Assert.InRange(summary.P50Ms, 1.99, 2.01);
    }

    [Fact]
    public void Goodput_counts_only_the_successes_and_the_send_rate_only_the_sending()
    {
        var settings = new LoadSettings { Target = TargetKind.Rest, Address = new Uri("http://localhost/aggregate"), Rate = 1000 };
        var run = new RunResult("x", settings, "", Sent: 10_000, Succeeded: 7_000, new Dictionary<string, long> { ["HTTP 502"] = 3_000 }, Unsent: 0,
            Seconds: 12, SendingSeconds: 10, new LatencySummary(1, 1, 1, 1, 1, 1));

        Assert.Equal(7_000 / 12.0, run.RequestsPerSecond);
        Assert.Equal(1_000, run.SentPerSecond);
    }

    [Fact]
    public async Task An_open_loop_never_sends_before_a_requests_intended_time()
    {
        // 5,000/s for 0.3 s: a send due every 200 µs, far finer than a timer's millisecond.
        var schedule = new SendSchedule(Stopwatch.GetTimestamp(), 5000, null, TimeSpan.FromMilliseconds(300));
        var early = new List<TimeSpan>();
        var handed = 0;
        while (await schedule.NextAsync(CancellationToken.None) is { } due)
        {
            var now = Stopwatch.GetTimestamp();
            handed++;
            if (now < due) early.Add(Stopwatch.GetElapsedTime(now, due));
        }

        Assert.Equal(1500, schedule.Scheduled);
        Assert.Equal(1500, handed);
        Assert.True(early.Count == 0, $"{early.Count} sends left early, by up to {(early.Count > 0 ? early.Max().TotalMicroseconds : 0):0} µs");
    }

    [Fact]
    public async Task A_duration_bounds_an_open_loop_what_could_not_be_sent_by_its_end_is_counted_unsent_not_sent_late()
    {
        // From the 101st request (due at 0.5 s) every request waits 2 s: the 4 slots fill and nothing more can be sent before
        // the run ends at 1.5 s. Counted by request, so a pause of the machine running the test changes no count.
        await using var server = await StallingServer.StartAsync(stallFromRequest: 101, stallFor: TimeSpan.FromSeconds(2));
        var settings = new LoadSettings
        {
            Target = TargetKind.Rest, Address = server.Address, Duration = TimeSpan.FromSeconds(1.5), Warmup = TimeSpan.Zero,
            Rate = 200, Concurrency = 4, Connections = 4,
        };
        var clock = Stopwatch.StartNew();

        var run = await RunAsync(settings);

        // 300 scheduled: 100 answered, 4 held by the stall, and the rest never left.
        Assert.Equal((104L, 196L), (run.Sent, run.Unsent));
        Assert.Equal(104, server.Arrived);
        Assert.Equal(run.Sent, run.Succeeded + run.Failed);
        Assert.Equal(1.5, run.SendingSeconds, 3);
        Assert.Equal(run.Sent / 1.5, run.SentPerSecond, 3);
        // Sending stopped at 1.5 s; the run ended when the 4 held requests were answered, at the stall's end.
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.4, 4);
    }

    [Fact]
    public async Task An_open_loop_shows_a_stall_in_p99_that_a_closed_loop_hides()
    {
        await using var server = await StallingServer.StartAsync(stallAfter: TimeSpan.FromSeconds(1), stallFor: TimeSpan.FromMilliseconds(600));
        var settings = new LoadSettings
        {
            Target = TargetKind.Rest, Address = server.Address, Duration = TimeSpan.FromSeconds(3), Warmup = TimeSpan.Zero,
            Concurrency = 1, Connections = 1,
        };

        var closed = await RunAsync(settings);
        server.Rearm();
        var open = await RunAsync(settings with { Rate = 200, Concurrency = 1000, Connections = 1000 });

        // Closed loop: the one worker waited out the stall on a single request; every other request was quick.
        Assert.InRange(closed.Latency.MaxMs, 400, 2000);
        Assert.True(closed.Latency.P99Ms < 100, $"closed-loop p99 {closed.Latency.P99Ms} ms");
        // Open loop: every request scheduled during the stall waited, measured from when it should have been sent.
        Assert.True(open.Latency.P99Ms > 300, $"open-loop p99 {open.Latency.P99Ms} ms");
        Assert.InRange(open.Sent, 560, 640);
        Assert.Equal(0, open.Failed);
    }

    [Fact]
    public async Task A_step_schedule_sends_what_each_step_asks_and_counts_each_step_by_intended_send_time()
    {
        await using var server = await StallingServer.StartAsync(stallAfter: TimeSpan.FromHours(1), stallFor: TimeSpan.Zero);
        // ghz's --load-schedule step --load-start 100 --load-step 100 --load-step-duration 500ms --load-end 300, for 2 s.
        var settings = new LoadSettings
        {
            Target = TargetKind.Rest, Address = server.Address, Duration = TimeSpan.FromSeconds(2), Warmup = TimeSpan.Zero,
            // Room in flight for any pause of a busy test machine: every request is sent on time, whatever the answers do.
            Schedule = new LoadSchedule(100, 100, TimeSpan.FromMilliseconds(500), End: 300), Concurrency = 1000, Connections = 16,
        };
        var clock = Stopwatch.StartNew();

        var run = await RunAsync(settings);

        Assert.Equal((450L, 450L, 0L, 0L), (run.Sent, run.Succeeded, run.Failed, run.Unsent));
        Assert.Equal(2.0, run.SendingSeconds, 3);
        Assert.True(clock.Elapsed.TotalSeconds >= 1.99, $"sent in {clock.Elapsed.TotalSeconds:0.00} s what the schedule spreads over 2 s");
        var steps = run.Steps!;
        Assert.Equal([0.0, 0.5, 1.0, 1.5], steps.Select(s => s.StartSecond));
        Assert.Equal([100.0, 200, 300, 300], steps.Select(s => s.OfferedRate));
        Assert.Equal([50L, 100, 150, 150], steps.Select(s => s.Sent));
        Assert.All(steps, s =>
        {
            Assert.Equal((s.Sent, 0L, 0L), (s.Succeeded, s.Failed, s.Unsent));
            Assert.Equal(s.OfferedRate, s.SentPerSecond, 6);
            Assert.True(s.Latency.P50Ms > 0 && s.Latency.P99Ms >= s.Latency.P50Ms, $"{s.Latency}");
        });
    }

    [Fact]
    public async Task A_constant_rate_has_no_steps()
    {
        await using var server = await StallingServer.StartAsync(stallAfter: TimeSpan.FromHours(1), stallFor: TimeSpan.Zero);

        var run = await RunAsync(new LoadSettings
        {
            Target = TargetKind.Rest, Address = server.Address, Requests = 20, Warmup = TimeSpan.Zero, Rate = 200, Concurrency = 4, Connections = 4,
        });

        Assert.Equal(20, run.Succeeded);
        Assert.Null(run.Steps);
    }

    private static async Task<RunResult> RunAsync(LoadSettings settings)
    {
        await using var target = LoadTargets.Create(settings);
        return await LoadRun.RunAsync("test", target, settings, null, CancellationToken.None);
    }
}
