using Microsoft.Extensions.Hosting;

namespace Benchmarks.Tests.Fakes;

/// <summary>A host's lifetime that a test stops when it chooses.</summary>
public sealed class FakeLifetime : IHostApplicationLifetime
{
    private readonly CancellationTokenSource stopping = new();

    public CancellationToken ApplicationStarted => CancellationToken.None;
    public CancellationToken ApplicationStopping => stopping.Token;
    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication() => stopping.Cancel();
}
