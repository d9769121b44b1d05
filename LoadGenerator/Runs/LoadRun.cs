using System.Diagnostics;
using OpenTelemetry;
using LoadGenerator.Targets;

namespace LoadGenerator.Runs;

/// <summary>Where a run is, for a progress line or the dashboard.</summary>
public sealed record RunProgress(string Phase, long Completed, long? Total, double Seconds, double? TotalSeconds, double CurrentRate, long Failed);

/// <summary>
/// Drives one target. Closed loop (like ab and ghz): a fixed number of requests in flight, each sent when one returns.
/// Open loop (like wrk2): requests sent on a fixed schedule whatever the answers do, latency measured from each one's
/// intended send time, so a stall shows in the percentiles instead of silently slowing the sender.
/// Warm-up runs first and is not counted; the measured window ends only when every request in it has answered.
/// </summary>
public static class LoadRun
{
    public static async Task<RunResult> RunAsync(string name, ILoadTarget target, LoadSettings settings,
        IProgress<RunProgress>? progress, CancellationToken ct)
    {
        if (settings.Warmup > TimeSpan.Zero)
        {
            await RunPhaseAsync("warm-up", target, settings with { Requests = null, Duration = settings.Warmup }, new LatencyRecorder(), progress, ct);
        }
        var recorder = new LatencyRecorder();
        var seconds = await RunPhaseAsync(name, target, settings, recorder, progress, ct);
        return new RunResult(name, settings, target.Shape, recorder.Completed, recorder.Succeeded, recorder.Errors, seconds,
            seconds > 0 ? recorder.Completed / seconds : 0, recorder.Summary());
    }

    private static async Task<double> RunPhaseAsync(string phase, ILoadTarget target, LoadSettings settings, LatencyRecorder recorder,
        IProgress<RunProgress>? progress, CancellationToken ct)
    {
        // The load generator is the instrument, not the subject: no spans of its own, so the services alone decide
        // what they trace, the same whether a run starts from the CLI or from the dashboard.
        using var untraced = SuppressInstrumentationScope.Begin();
        var started = Stopwatch.GetTimestamp();
        using var reporting = new CancellationTokenSource();
        var reporter = ReportProgressAsync(phase, recorder, settings, started, progress, reporting.Token);
        try
        {
            await (settings.Rate is { } rate
                ? OpenLoopAsync(target, settings, rate, recorder, started, ct)
                : ClosedLoopAsync(target, settings, recorder, started, ct));
        }
        finally
        {
            await reporting.CancelAsync();
            await reporter;
        }
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static Task ClosedLoopAsync(ILoadTarget target, LoadSettings settings, LatencyRecorder recorder, long started, CancellationToken ct)
    {
        long issued = 0;
        var limit = settings.Requests ?? long.MaxValue;
        var until = settings.Duration ?? TimeSpan.MaxValue;

        async Task WorkerAsync()
        {
            while (!ct.IsCancellationRequested && Interlocked.Increment(ref issued) <= limit && Stopwatch.GetElapsedTime(started) < until)
            {
                var sentAt = Stopwatch.GetTimestamp();
                recorder.Record(sentAt, await target.SendAsync(ct));
            }
        }

        return Task.WhenAll(Enumerable.Range(0, Math.Max(1, settings.Concurrency)).Select(_ => Task.Run(WorkerAsync, ct)));
    }

    private static async Task OpenLoopAsync(ILoadTarget target, LoadSettings settings, double rate, LatencyRecorder recorder, long started, CancellationToken ct)
    {
        var limit = settings.Requests ?? long.MaxValue;
        var until = settings.Duration ?? TimeSpan.MaxValue;
        var interval = Stopwatch.Frequency / rate;
        // A cap on requests in flight keeps memory bounded when the target stalls; late sends still count from their intended time.
        using var inFlight = new SemaphoreSlim(Math.Max(1, settings.Concurrency));
        var running = new List<Task>();

        async Task SendAsync(long intendedAt)
        {
            try
            {
                recorder.Record(intendedAt, await target.SendAsync(ct));
            }
            finally
            {
                inFlight.Release();
            }
        }

        for (long i = 0; i < limit && !ct.IsCancellationRequested; i++)
        {
            var intendedAt = started + (long)(i * interval);
            if (Stopwatch.GetElapsedTime(started, intendedAt) >= until) break;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), intendedAt);
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, ct);
            await inFlight.WaitAsync(ct);
            running.Add(SendAsync(intendedAt));
            if (running.Count > 4096) running.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(running);
    }

    private static async Task ReportProgressAsync(string phase, LatencyRecorder recorder, LoadSettings settings, long started,
        IProgress<RunProgress>? progress, CancellationToken ct)
    {
        if (progress is null) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long lastCompleted = 0;
        var lastAt = started;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var now = Stopwatch.GetTimestamp();
                var completed = recorder.Completed;
                var rate = (completed - lastCompleted) / Stopwatch.GetElapsedTime(lastAt, now).TotalSeconds;
                (lastCompleted, lastAt) = (completed, now);
                progress.Report(new RunProgress(phase, completed, settings.Requests, Stopwatch.GetElapsedTime(started, now).TotalSeconds,
                    settings.Duration?.TotalSeconds, rate, recorder.Failed));
            }
        }
        catch (OperationCanceledException)
        {
            // The phase ended.
        }
    }
}
