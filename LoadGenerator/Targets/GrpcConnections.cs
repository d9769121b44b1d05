using Grpc.Core;
using Grpc.Net.Client;
using ServiceDefaults.Wire;

namespace LoadGenerator.Targets;

/// <summary>What both gRPC targets do alike: open their connections, and name an error.</summary>
internal static class GrpcConnections
{
    /// <summary>One channel per connection: each has its own handler that never opens a second connection, and counts its bytes.</summary>
    public static GrpcChannel[] Open(Uri address, int connections) =>
        Enumerable.Range(0, Math.Max(1, connections)).Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = WireCounting.Handler(new SocketsHttpHandler { EnableMultipleHttp2Connections = false, UseProxy = false, ActivityHeadersPropagator = LoadTargets.NoTraceContext }),
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        })).ToArray();

    public static string ErrorKind(RpcException e) =>
        e.StatusCode == StatusCode.DeadlineExceeded ? "timeout" : $"gRPC {e.StatusCode}";
}
