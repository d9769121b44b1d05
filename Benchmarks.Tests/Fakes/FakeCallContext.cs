using Grpc.Core;

namespace Benchmarks.Tests.Fakes;

/// <summary>A server call as a service method sees it, without a server: its method, headers, deadline and a caller that can go away.</summary>
public sealed class FakeCallContext(string method = "/Test/Call", DateTime? deadline = null) : ServerCallContext
{
    private readonly CancellationTokenSource callerGone = new();

    /// <summary>The caller goes away: the call's cancellation token fires.</summary>
    public void EndCall() => callerGone.Cancel();

    protected override string MethodCore => method;
    protected override string HostCore => "localhost";
    protected override string PeerCore => "ipv4:127.0.0.1:50000";
    protected override DateTime DeadlineCore => deadline ?? DateTime.MaxValue;
    protected override Metadata RequestHeadersCore { get; } = [];
    protected override CancellationToken CancellationTokenCore => callerGone.Token;
    protected override Metadata ResponseTrailersCore { get; } = [];
    protected override Status StatusCore { get; set; }
    protected override WriteOptions? WriteOptionsCore { get; set; }
    protected override AuthContext AuthContextCore { get; } = new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
