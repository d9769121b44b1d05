using System.Diagnostics;

namespace LoadGenerator.Targets;

/// <summary>The target a run's settings ask for.</summary>
public static class LoadTargets
{
    public static ILoadTarget Create(LoadSettings settings) => settings.Target switch
    {
        TargetKind.Rest or TargetKind.RestNoop => new RestTarget(settings),
        TargetKind.GrpcUnary or TargetKind.GrpcNoop => new GrpcUnaryTarget(settings),
        TargetKind.GrpcStream or TargetKind.GrpcStreamNoop => new GrpcStreamTarget(settings),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Target, "unknown target"),
    };

    /// <summary>Load requests carry no trace context: each service samples them as its own configuration says.</summary>
    public static readonly DistributedContextPropagator NoTraceContext = DistributedContextPropagator.CreateNoOutputPropagator();
}
