using Protos;
using Protos.Control;

namespace LoadGenerator.Runs;

/// <summary>What a soak holds each chain at, and for how long.</summary>
public sealed record SoakSettings
{
    /// <summary>How long each chain is held under load.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The share of the measured capacity sent, on a fixed schedule (open loop).</summary>
    public double Load { get; init; } = 0.7;

    /// <summary>Closed-loop concurrency of the capacity measurement; the soak's cap on requests in flight is twenty times it.</summary>
    public int Concurrency { get; init; } = RunDefaults.Concurrency;

    /// <summary>Closed-loop window that measures capacity before each soak.</summary>
    public TimeSpan CapacityWindow { get; init; } = TimeSpan.FromSeconds(10);

    public int Size { get; init; } = BatchSpec.DefaultSize;
    public long Seed { get; init; } = BatchSpec.DefaultSeed;
}
