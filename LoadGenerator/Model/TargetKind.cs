namespace LoadGenerator;

/// <summary>What a run sends to: the REST edge, the gRPC unary edge, the gRPC streaming edge, or the edge's no-op of the same shape (a ceiling).</summary>
public enum TargetKind { Rest, GrpcUnary, GrpcStream, RestNoop, GrpcNoop, GrpcStreamNoop }
