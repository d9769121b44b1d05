using Grpc.Core;

namespace ServiceDefaults.Hops;

/// <summary>One request and its answer over a bidi gRPC hop, whichever way the streams are used.</summary>
public interface IStreamHop<in TRequest, TResponse>
{
    /// <summary>Sends one request and waits for its answer; failures surface as <see cref="RpcException"/>s that name the downstream.</summary>
    Task<TResponse> CallAsync(TRequest request, DateTime? deadline, CancellationToken ct);
}
