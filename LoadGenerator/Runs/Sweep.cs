using LoadGenerator.Targets;

namespace LoadGenerator.Runs;

/// <summary>
/// Latency against offered load, row by row of the comparison: each row warmed up as compare warms it, its capacity
/// measured closed-loop, then open-loop rates stepped from a light load to past that capacity. Where p99 turns upward
/// is the row's knee (<see cref="Knee"/>): what a user can plan to offer, which a closed loop's throughput overstates.
/// </summary>
public static class Sweep
{
    /// <param name="only">Sweep just the rows of this scenario; null sweeps them all.</param>
    public static async Task<SweepReport> RunAsync(SweepSettings sweep, ChainAddresses chains, IProgress<RunProgress>? progress,
        CancellationToken ct, Scenario? only = null)
    {
        var startedAt = DateTimeOffset.Now;
        using var probe = new ServiceProbe(chains.Stats);
        var rows = new List<SweepRow>();
        foreach (var planned in sweep.Plan(chains).Where(p => only is null || p.Scenario == only))
        {
            rows.Add(await SweepRowAsync(planned, sweep, probe, progress, ct));
        }
        return new SweepReport(startedAt, ChainComparison.Machine(), sweep, rows);
    }

    private static async Task<SweepRow> SweepRowAsync(PlannedRow planned, SweepSettings sweep, ServiceProbe probe,
        IProgress<RunProgress>? progress, CancellationToken ct)
    {
        var (settings, name, scenario) = (planned.Settings, planned.Name, planned.Scenario);
        // As in compare: a ceiling is counted at its edge alone, a chain at each of its services.
        var chainServices = probe.Services.Where(s => s.EndsWith("-" + scenario.Chain)).ToList();
        var counted = chainServices.Where(s => !scenario.IsCeiling || s.StartsWith("aggregator-")).ToList();
        var measured = (await probe.ReadAsync(ct)).Measured(chainServices);

        progress?.Report(new RunProgress($"{name}: waiting for a quiet machine", 0, null, 0, QuietWait.Longest.TotalSeconds, 0, 0));
        var quiet = await QuietWait.ForAsync(measured, ct);
        await using var target = LoadTargets.Create(settings);
        var warmedUp = await ChainComparison.WarmUpAsync(target, settings, probe, counted, progress, ct);
        var capacity = (await LoadRun.RunAsync($"{name}: capacity", target, settings with { Warmup = TimeSpan.Zero }, progress, ct)).RequestsPerSecond;

        var steps = new List<SweepStep>();
        foreach (var percent in sweep.Steps)
        {
            var offered = settings with
            {
                Rate = Math.Max(1, percent / 100 * capacity), Duration = sweep.StepDuration, Requests = null, Warmup = TimeSpan.Zero,
                Concurrency = sweep.MaxInFlight,
            };
            var before = await probe.ReadAsync(ct);
            var run = await LoadRun.RunAsync($"{name}: {percent:0.#}% of capacity", target, offered, progress, ct);
            var after = await probe.ReadAsync(ct);
            var services = counted.Select(s => ChainComparison.Cost(s, before.Services[s], after.Services[s], run, noops: scenario.IsCeiling)).ToList();
            steps.Add(SweepStep.Of(percent, run, ChainComparison.Reconcile(run, services, scenario.IsCeiling)));
        }
        return new SweepRow(name, settings, target.Shape(settings), quiet, warmedUp, capacity, steps,
            Knee.Find(steps, sweep.KneeFactor, capacity));
    }
}
