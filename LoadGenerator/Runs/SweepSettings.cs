using Protos;
using Protos.Control;

namespace LoadGenerator.Runs;

/// <summary>What a sweep offers each row of the comparison: steps of an open-loop rate, as shares of the row's closed-loop capacity.</summary>
public sealed record SweepSettings
{
    /// <summary>The offered rates, in percent of the capacity, lowest first: the lowest is the baseline the knee is judged against.</summary>
    public IReadOnlyList<double> Steps { get; init; } = [10, 25, 50, 70, 85, 100, 115, 130, 150];

    /// <summary>How long each rate is offered.</summary>
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The knee's p99 may be at most this many times the lowest step's.</summary>
    public double KneeFactor { get; init; } = 3;

    /// <summary>The closed-loop run, at <see cref="Concurrency"/>, that measures a row's capacity after its warm-up.</summary>
    public TimeSpan CapacityWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Requests in flight while measuring capacity; the steps allow twenty times it in flight, as a soak does, so queueing shows as latency.</summary>
    public int Concurrency { get; init; } = RunDefaults.Concurrency;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(RunDefaults.WarmupSeconds);
    public int Size { get; init; } = BatchSpec.DefaultSize;
    public long Seed { get; init; } = BatchSpec.DefaultSeed;

    /// <summary>The most requests a step has in flight at once.</summary>
    public int MaxInFlight => 20 * Concurrency;

    /// <summary>The comparison's rows at this sweep's one size: ceilings and chains, closed loop, as compare would run them.</summary>
    public IEnumerable<PlannedRow> Plan(ChainAddresses chains) => ChainComparison.Plan(new CompareSettings
    {
        Duration = CapacityWindow, Warmup = Warmup, Concurrency = Concurrency, Sizes = [Size], Seed = Seed,
    }, chains);
}
