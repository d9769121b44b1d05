using System.Diagnostics;
using OpenTelemetry;
using LoadGenerator.Targets;
using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>
/// Drives one target. Closed loop (like ab and ghz): a fixed number of requests in flight, each sent when one returns.
/// Open loop (like wrk2): requests sent on a fixed schedule whatever the answers do, latency measured from each one's
/// intended send time, so a stall shows in the percentiles instead of silently slowing the sender.
/// Warm-up runs first and is not counted. A duration bounds the sending: what is in flight at its end is awaited, and
/// what an open loop could not send by then (every slot in flight was taken) is counted as unsent, not sent late.
/// </summary>
public static class LoadRun
{
    public static async Task<RunResult> RunAsync(string name, ILoadTarget target, LoadSettings settings,
        IProgress<RunProgress>? progress, CancellationToken ct)
    {
        if (settings.Warmup > TimeSpan.Zero)
        {
            await RunPhaseAsync("warm-up", target, settings with { Requests = null, Duration = settings.Warmup }, progress, ct);
        }
        var window = await RunPhaseAsync(name, target, settings, progress, ct);
        return new RunResult(name, settings, target.Shape(settings), window.Sent, window.Answers.Succeeded, window.Answers.Errors,
            window.Unsent, window.Seconds, window.SendingSeconds, window.Answers.Summary())
        {
            LatencyHistogram = window.Answers.EncodedHistogram(), Steps = window.Steps, PerSecond = window.Answers.PerSecond?.Samples(window.Seconds),
        };
    }

    /// <summary>One phase's counts: requests handed to the target are counted where they are sent, answers where they come back.</summary>
    private sealed class Phase(long started)
    {
        public readonly LatencyRecorder Answers = new() { PerSecond = new PerSecondLatency(started) };
        public long Sent;
        public long Unsent;
        public double Seconds;
        public double SendingSeconds;
        public IReadOnlyList<RateStep>? Steps;

        public void SendingStopped(long started) =>
            SendingSeconds = Math.Max(SendingSeconds, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task<Phase> RunPhaseAsync(string name, ILoadTarget target, LoadSettings settings,
        IProgress<RunProgress>? progress, CancellationToken ct)
    {
        // The load generator is the instrument, not the subject: no spans of its own, so the services alone decide
        // what they trace, the same whether a run starts from the CLI or from the dashboard.
        using var untraced = SuppressInstrumentationScope.Begin();
        var started = Stopwatch.GetTimestamp();
        var phase = new Phase(started);
        using var reporting = new CancellationTokenSource();
        var reporter = ReportProgressAsync(name, phase.Answers, settings, started, progress, reporting.Token);
        try
        {
            var rates = settings.Schedule ?? (settings.Rate is { } rate ? LoadSchedule.Constant(rate) : null);
            await (rates is not null
                ? OpenLoopAsync(target, settings, new SendSchedule(started, rates, settings.Requests, settings.Duration), phase, ct)
                : ClosedLoopAsync(target, settings, phase, started, ct));
        }
        finally
        {
            await reporting.CancelAsync();
            await reporter;
        }
        phase.Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return phase;
    }

    private static Task ClosedLoopAsync(ILoadTarget target, LoadSettings settings, Phase phase, long started, CancellationToken ct)
    {
        long issued = 0;
        var limit = settings.Requests ?? long.MaxValue;
        var until = settings.Duration ?? TimeSpan.MaxValue;

        async Task WorkerAsync()
        {
            while (!ct.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < until && Interlocked.Increment(ref issued) <= limit)
            {
                Interlocked.Increment(ref phase.Sent);
                var sentAt = Stopwatch.GetTimestamp();
                phase.Answers.Record(sentAt, await target.SendAsync(ct));
            }
            lock (phase) phase.SendingStopped(started);
        }

        return Task.WhenAll(Enumerable.Range(0, Math.Max(1, settings.Concurrency)).Select(_ => Task.Run(WorkerAsync, ct)));
    }

    private static async Task OpenLoopAsync(ILoadTarget target, LoadSettings settings, SendSchedule schedule, Phase phase, CancellationToken ct)
    {
        // A cap on requests in flight keeps memory bounded when the target stalls; late sends still count from their intended time.
        using var inFlight = new SemaphoreSlim(Math.Max(1, settings.Concurrency));
        var running = new List<Task>();
        // A rate that changes is also counted step by step, each request in the step of its intended send time.
        var steps = settings.Schedule is null ? null : new List<StepCounts>();

        async Task SendAsync(long intendedAt, StepCounts? inStep)
        {
            try
            {
                var error = await target.SendAsync(ct);
                var latency = Stopwatch.GetElapsedTime(intendedAt);
                phase.Answers.Record(latency, error);
                inStep?.Answers.Record(latency, error);
            }
            finally
            {
                inFlight.Release();
            }
        }

        while (await schedule.NextAsync(ct) is { } intendedAt)
        {
            // Every slot taken: wait for one, but not past the run's end; what is still waiting then is never sent.
            if (!inFlight.Wait(0) && !await inFlight.WaitAsync(schedule.LeftInRun, ct))
            {
                phase.Unsent = schedule.Remaining + 1;
                break;
            }
            phase.Sent++;
            StepCounts? inStep = null;
            if (steps is not null)
            {
                while (steps.Count <= schedule.Step) steps.Add(new StepCounts());
                inStep = steps[(int)schedule.Step];
                inStep.Sent++;
            }
            running.Add(SendAsync(intendedAt, inStep));
            if (running.Count > 4096) running.RemoveAll(t => t.IsCompleted);
        }
        // What went out is set against the window it was asked for: late sends count, sends never made don't.
        phase.SendingSeconds = schedule.Window.TotalSeconds;
        await Task.WhenAll(running);
        if (steps is not null) phase.Steps = StepsOf(settings.Schedule!, schedule, steps);
    }

    /// <summary>A step's requests as they were sent and answered; its answers stay off the dashboard, which has them from the run's own.</summary>
    private sealed class StepCounts
    {
        public readonly LatencyRecorder Answers = new() { Metered = false };
        public long Sent;
    }

    /// <summary>Every step with sends due in it, with what its requests did; a step's unsent are those due in it and never sent.</summary>
    private static List<RateStep> StepsOf(LoadSchedule rates, SendSchedule schedule, List<StepCounts> counted)
    {
        var window = schedule.Window;
        var steps = new List<RateStep>();
        for (var k = 0L; Math.Ceiling(rates.SendsBefore(k)) < schedule.Scheduled; k++)
        {
            var starts = rates.StepDuration * k;
            var seconds = Math.Max(0, ((window < starts + rates.StepDuration ? window : starts + rates.StepDuration) - starts).TotalSeconds);
            var counts = k < counted.Count ? counted[(int)k] : new StepCounts();
            steps.Add(new RateStep(k, starts.TotalSeconds, seconds, rates.RateOfStep(k), counts.Sent, schedule.ScheduledIn(k) - counts.Sent,
                counts.Answers.Succeeded, counts.Answers.Errors, counts.Answers.Summary()));
        }
        return steps;
    }

    private static async Task ReportProgressAsync(string phase, LatencyRecorder recorder, LoadSettings settings, long started,
        IProgress<RunProgress>? progress, CancellationToken ct)
    {
        if (progress is null) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var answered = new RateOf(() => recorder.Completed);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var rate = answered.PerSecond();
                progress.Report(new RunProgress(phase, recorder.Completed, settings.Requests, Stopwatch.GetElapsedTime(started).TotalSeconds,
                    settings.Duration?.TotalSeconds, rate, recorder.Failed));
            }
        }
        catch (OperationCanceledException)
        {
            // The phase ended.
        }
    }
}
