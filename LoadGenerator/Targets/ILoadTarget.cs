namespace LoadGenerator.Targets;

/// <summary>How one request of a run is sent: one transport, one connection shape.</summary>
public interface ILoadTarget : IAsyncDisposable
{
    /// <summary>The connection shape of a run with these settings, as the report states it (connections × streams, requests in flight).</summary>
    string Shape(LoadSettings run);

    /// <summary>Sends one request; null when it succeeded with the right answer, else the kind of error.</summary>
    ValueTask<string?> SendAsync(CancellationToken ct);
}
