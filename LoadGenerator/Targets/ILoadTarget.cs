namespace LoadGenerator.Targets;

/// <summary>How one request of a run is sent: one transport, one connection shape.</summary>
public interface ILoadTarget : IAsyncDisposable
{
    /// <summary>The connection shape of a run with these settings, as the report states it (connections × streams, requests in flight).</summary>
    string Shape(LoadSettings run);

    /// <summary>Sends one request; null when it succeeded with the right answer, else the kind of error.</summary>
    ValueTask<string?> SendAsync(CancellationToken ct);
}

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
    public static readonly System.Diagnostics.DistributedContextPropagator NoTraceContext =
        System.Diagnostics.DistributedContextPropagator.CreateNoOutputPropagator();

    public static string Plural(int n, string one) => n == 1 ? $"1 {one}" : $"{n:N0} {one}s";
}
