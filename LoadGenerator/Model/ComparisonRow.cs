using LoadGenerator.Runs;

namespace LoadGenerator;

/// <summary>One row of a comparison: a run, what it cost each service, and what else used the machine meanwhile.</summary>
public sealed record ComparisonRow(
    RunResult Run,
    string Chain,
    IReadOnlyList<ServiceCpu> Services,
    double ChainCpuMsPerRequest,
    double ChainPercentOfCore,
    ServiceCpu LoadGenerator,
    ServiceCpu? Machine,
    OtherProcesses Others,
    QuietWait Quiet,
    Reconciliation Reconciliation,
    IReadOnlyList<CpuPoint> CpuTimeline)
{
    /// <summary>How long the row warmed up before its window: the warm-up asked, longer while the rate still rose.</summary>
    public double WarmupSeconds { get; init; }

    /// <summary>Throughput as a fraction of the no-op hop of the same shape (<see cref="Scenario.Ceiling"/>), measured in the same run; null for the ceiling rows.</summary>
    public double? OfCeiling { get; init; }

    /// <summary>
    /// One hop's CPU against its floor: the processor (a server and a client of the same request, the chain's middle hop)
    /// against twice the CPU per no-op of the ceiling of the same shape (its server alone), both measured in the same run.
    /// 1.0 is a hop that costs what two no-op ends cost; null for the ceiling rows and in reports written before it.
    /// </summary>
    public double? HopOfFloor { get; init; }

    /// <summary>The no-op of the row's shape at the row's own rate; null for rows that don't measure it, and in reports written before.</summary>
    public FloorRun? Floor { get; init; }

    /// <summary>As <see cref="HopOfFloor"/>, against twice <see cref="Floor"/>'s CPU per no-op: both ends at the same rate.</summary>
    public double? HopOfFloorAtRate { get; init; }

    /// <summary>Bytes on the wire per request on each hop, in calling order (a ceiling's one: the edge); null in reports written before they were counted.</summary>
    public IReadOnlyList<HopBytes>? Wire { get; init; }

    /// <summary>How the requests spread over the replicas of the row's services run as several; null when none is.</summary>
    public IReadOnlyList<ReplicaShare>? Replicas { get; init; }

    /// <summary>Bytes on the wire per request over all the row's hops, both ways, as their clients counted them.</summary>
    public double? ChainBytesPerRequest => Wire?.Sum(hop => hop.Bytes);
}
