using ServiceDefaults;

namespace LoadGenerator;

/// <summary>
/// What a row measures, as an identity (like a crank scenario id): the target, and for gRPC how the chain uses its bidi
/// hops. Rows are planned and found by it; their names in reports are derived from it and never matched on.
/// </summary>
public readonly record struct Scenario(TargetKind Target, StreamMode? StreamMode = null)
{
    public static readonly Scenario RestCeiling = new(TargetKind.RestNoop);
    public static readonly Scenario GrpcCeiling = new(TargetKind.GrpcNoop);
    public static readonly Scenario GrpcStreamCeiling = new(TargetKind.GrpcStreamNoop);
    public static readonly Scenario Rest = new(TargetKind.Rest);
    public static readonly Scenario GrpcPerRequest = new(TargetKind.GrpcUnary, ServiceDefaults.StreamMode.PerRequest);
    public static readonly Scenario GrpcShared = new(TargetKind.GrpcUnary, ServiceDefaults.StreamMode.Shared);
    public static readonly Scenario GrpcStreamShared = new(TargetKind.GrpcStream, ServiceDefaults.StreamMode.Shared);

    /// <summary>The scenario a run with these settings measures; reports written before scenarios existed read the same.</summary>
    public static Scenario Of(LoadSettings settings) => new(settings.Target, settings.StreamMode);

    /// <summary>A no-op hop of one shape, whose throughput is the ceiling of the targets of that shape.</summary>
    public bool IsCeiling => Target is TargetKind.RestNoop or TargetKind.GrpcNoop or TargetKind.GrpcStreamNoop;

    /// <summary>The no-op hop of the same shape as this target; null for a ceiling itself.</summary>
    public Scenario? Ceiling => Target switch
    {
        TargetKind.Rest => RestCeiling,
        TargetKind.GrpcUnary => GrpcCeiling,
        TargetKind.GrpcStream => GrpcStreamCeiling,
        _ => null,
    };

    /// <summary>The chain it loads, as the AppHost's service names end: <c>rest</c> or <c>grpc</c>.</summary>
    public string Chain => Target is TargetKind.Rest or TargetKind.RestNoop ? "rest" : "grpc";

    /// <summary>Its name in reports.</summary>
    public string Name => Target switch
    {
        TargetKind.RestNoop => "REST ceiling: one no-op hop",
        TargetKind.GrpcNoop => "gRPC ceiling: one no-op unary hop",
        TargetKind.GrpcStreamNoop => "gRPC streaming ceiling: one no-op bidi echo",
        TargetKind.Rest => "REST",
        TargetKind.GrpcUnary => "gRPC unary" + HopsNamed,
        _ => "gRPC streaming edge" + HopsNamed,
    };

    private string HopsNamed => StreamMode switch
    {
        ServiceDefaults.StreamMode.PerRequest => ", stream per request",
        ServiceDefaults.StreamMode.Shared => ", shared streams",
        _ => "",
    };
}
