using System.Diagnostics;

namespace LoadGenerator.Runs;

/// <summary>
/// Samples every service's CPU once a second during a measured window, and everything outside the row's measurement
/// together as "others": the CPU % over time of the report.
/// </summary>
public sealed class CpuTimeline : IAsyncDisposable
{
    public const string Others = "others";

    private readonly ServiceProbe probe;
    private readonly IReadOnlySet<int> measured;
    private readonly List<CpuPoint> points = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;

    public CpuTimeline(ServiceProbe probe, ProbeReading start, IReadOnlySet<int> measured)
    {
        (this.probe, this.measured) = (probe, measured);
        sampling = SampleAsync(start.Cpu(), ProcessTable.Read());
    }

    public async Task<IReadOnlyList<CpuPoint>> StopAsync()
    {
        await stop.CancelAsync();
        await sampling;
        return points;
    }

    private async Task SampleAsync(IReadOnlyDictionary<string, CpuTime> previous, IReadOnlyList<ProcessCpuTime> previousProcesses)
    {
        var started = Stopwatch.GetTimestamp();
        var previousAt = started;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var current = (await probe.ReadAsync(stop.Token)).Cpu();
                var processes = ProcessTable.Read();
                var now = Stopwatch.GetTimestamp();
                var wallMs = Stopwatch.GetElapsedTime(previousAt, now).TotalMilliseconds;
                var percent = current.ToDictionary(c => c.Key, c => Math.Round(100 * CpuTime.Between(previous[c.Key], c.Value) / wallMs, 1));
                if (processes.Count > 0) percent[Others] = Math.Round(OtherProcesses.PercentOfCoreBetween(previousProcesses, processes, wallMs, measured), 1);
                points.Add(new CpuPoint(Math.Round(Stopwatch.GetElapsedTime(started, now).TotalSeconds, 2), percent));
                (previous, previousProcesses, previousAt) = (current, processes, now);
            }
        }
        catch (OperationCanceledException)
        {
            // The window ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }
}
