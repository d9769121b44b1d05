using LoadGenerator;
using LoadGenerator.Reports;
using LoadGenerator.Runs;

namespace Benchmarks.Tests;

/// <summary>The sweep's machinery on one row with a few one-second steps: the real one is a benchmark of minutes, run by hand.</summary>
[Collection(ChainCollection.Name)]
public class SweepTests(ChainApp chain)
{
    [Fact]
    public async Task A_short_sweep_of_one_row_finds_a_knee_within_its_steps_and_every_step_adds_up()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var settings = new SweepSettings
        {
            Steps = [10, 50, 100, 150], StepDuration = TimeSpan.FromSeconds(1), CapacityWindow = TimeSpan.FromSeconds(2),
            Warmup = TimeSpan.FromSeconds(1), Concurrency = 8,
        };

        var report = await Sweep.RunAsync(settings, chain.Addresses(), null, timeout.Token, only: Scenario.GrpcShared);
        var directory = Path.Combine(ChainApp.ResultsDirectory, $"sweep-test-{Guid.NewGuid():N}");
        await SweepWriter.WriteAsync(report, directory, timeout.Token);

        var row = Assert.Single(report.Rows);
        Assert.Equal(Scenario.GrpcShared, row.Scenario);
        Assert.True(row.Capacity > 0, "the closed loop measured no capacity");
        Assert.Equal([10.0, 50, 100, 150], row.Steps.Select(s => s.Percent));
        Assert.All(row.Steps, step =>
        {
            Assert.Equal(step.Percent / 100 * row.Capacity, step.OfferedRate, 6);
            Assert.Equal(step.Sent, step.Succeeded + step.Failed);
            Assert.True(step.Unsent >= 0 && step.Sent > 0, $"{step.Percent}%: {step.Sent} sent, {step.Unsent} unsent");
            Assert.True(step.Counts!.Matches || step.Failed > 0, $"{step.Percent}%: {step.Counts.Detail}");
        });
        var knee = Assert.IsType<SweepKnee>(row.Knee);
        Assert.InRange(knee.OfferedRate, double.Epsilon, 1.5 * row.Capacity);
        Assert.Contains(row.Steps, s => s.OfferedRate == knee.OfferedRate);
        Assert.Contains("◀ knee", await File.ReadAllTextAsync(Path.Combine(directory, "sweep.md")));
        Assert.Contains("<polygon class=\"knee\"", await File.ReadAllTextAsync(Path.Combine(directory, "sweep.html")));
    }
}
