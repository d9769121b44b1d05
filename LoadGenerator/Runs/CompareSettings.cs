using Protos;
using Protos.Control;

namespace LoadGenerator.Runs;

/// <summary>The settings shared by every row of a comparison.</summary>
public sealed record CompareSettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(RunDefaults.DurationSeconds);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(RunDefaults.WarmupSeconds);
    public int Concurrency { get; init; } = RunDefaults.Concurrency;
    public double? Rate { get; init; }
    public IReadOnlyList<int> Sizes { get; init; } = [BatchSpec.DefaultSize];
    public long Seed { get; init; } = BatchSpec.DefaultSeed;

    /// <summary>After each row that <see cref="Scenario.MeasuresFloor"/>, load its ceiling at the row's rate (<see cref="FloorRun"/>).</summary>
    public bool Floors { get; init; } = true;
}
