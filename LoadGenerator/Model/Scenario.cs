using ServiceDefaults;
using ServiceDefaults.Rest;

namespace LoadGenerator;

/// <summary>
/// What a row measures, as an identity (like a crank scenario id): the target, for gRPC how the chain uses its bidi
/// hops, and for REST its wire (HTTP version and body encoding). Rows are planned and found by it; their names in
/// reports are derived from it and never matched on.
/// </summary>
public readonly record struct Scenario(TargetKind Target, StreamMode? StreamMode = null, RestHttpVersion? HttpVersion = null, RestEncoding? Encoding = null)
{
    public static readonly Scenario RestCeiling = new(TargetKind.RestNoop);
    public static readonly Scenario GrpcCeiling = new(TargetKind.GrpcNoop);
    public static readonly Scenario GrpcStreamCeiling = new(TargetKind.GrpcStreamNoop);
    public static readonly Scenario Rest = RestOver(RestHttpVersion.Http11, RestEncoding.Json);
    public static readonly Scenario RestJsonH2 = RestOver(RestHttpVersion.Http2, RestEncoding.Json);
    public static readonly Scenario RestProtobuf = RestOver(RestHttpVersion.Http11, RestEncoding.Protobuf);
    public static readonly Scenario RestProtobufH2 = RestOver(RestHttpVersion.Http2, RestEncoding.Protobuf);
    public static readonly Scenario GrpcPerRequest = new(TargetKind.GrpcUnary, ServiceDefaults.StreamMode.PerRequest);
    public static readonly Scenario GrpcShared = new(TargetKind.GrpcUnary, ServiceDefaults.StreamMode.Shared);
    public static readonly Scenario GrpcBatched = new(TargetKind.GrpcUnary, ServiceDefaults.StreamMode.Batched);
    public static readonly Scenario GrpcStreamShared = new(TargetKind.GrpcStream, ServiceDefaults.StreamMode.Shared);
    public static readonly Scenario GrpcStreamBatched = new(TargetKind.GrpcStream, ServiceDefaults.StreamMode.Batched);

    private static Scenario RestOver(RestHttpVersion version, RestEncoding encoding) => new(TargetKind.Rest, HttpVersion: version, Encoding: encoding);

    /// <summary>
    /// The scenario a run with these settings measures; reports written before scenarios existed read the same, and a
    /// REST run that names no wire (written before there was a choice) is JSON over HTTP/1.1.
    /// </summary>
    public static Scenario Of(LoadSettings settings) => settings.Target is TargetKind.Rest
        ? RestOver(settings.HttpVersion ?? RestHttpVersion.Http11, settings.Encoding ?? RestEncoding.Json)
        : new(settings.Target, settings.StreamMode);

    /// <summary>A no-op hop of one shape, whose throughput is the ceiling of the targets of that shape.</summary>
    public bool IsCeiling => Target is TargetKind.RestNoop or TargetKind.GrpcNoop or TargetKind.GrpcStreamNoop;

    /// <summary>The no-op hop of the same shape as this target; null for a ceiling itself. Every REST wire is read against the one HTTP/1.1 no-op.</summary>
    public Scenario? Ceiling => Target switch
    {
        TargetKind.Rest => RestCeiling,
        TargetKind.GrpcUnary => GrpcCeiling,
        TargetKind.GrpcStream => GrpcStreamCeiling,
        _ => null,
    };

    /// <summary>
    /// The rows whose middle hop is also set against its ceiling at the row's own rate (<see cref="FloorRun"/>): the
    /// hop ÷ floor figures the summary reads, REST as most teams run it and at its best, gRPC over shared streams and batched.
    /// </summary>
    public bool MeasuresFloor => this == Rest || this == RestProtobufH2 || this == GrpcShared || this == GrpcBatched;

    /// <summary>The chain it loads, as the AppHost's service names end: <c>rest</c> or <c>grpc</c>.</summary>
    public string Chain => Target is TargetKind.Rest or TargetKind.RestNoop ? "rest" : "grpc";

    /// <summary>Its name in reports.</summary>
    public string Name => Target switch
    {
        TargetKind.RestNoop => "REST ceiling: one no-op hop",
        TargetKind.GrpcNoop => "gRPC ceiling: one no-op unary hop",
        TargetKind.GrpcStreamNoop => "gRPC streaming ceiling: one no-op bidi echo",
        TargetKind.Rest => $"REST, {(Encoding ?? RestEncoding.Json).Describe()} over {(HttpVersion ?? RestHttpVersion.Http11).Describe()}",
        TargetKind.GrpcUnary => "gRPC unary" + HopsNamed,
        _ => "gRPC streaming edge" + HopsNamed,
    };

    private string HopsNamed => StreamMode switch
    {
        ServiceDefaults.StreamMode.PerRequest => ", stream per request",
        ServiceDefaults.StreamMode.Shared => ", shared streams",
        ServiceDefaults.StreamMode.Batched => ", batched shared streams",
        _ => "",
    };
}
