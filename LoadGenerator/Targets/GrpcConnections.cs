using Grpc.Core;
using Grpc.Net.Client;
using ServiceDefaults.Wire;

namespace LoadGenerator.Targets;

/// <summary>What both gRPC targets do alike: open their connections, and name an error.</summary>
public static class GrpcConnections
{
    /// <summary>One channel per connection: each has its own handler that never opens a second connection, and counts its bytes.</summary>
    public static GrpcChannel[] Open(Uri address, int connections) =>
        Enumerable.Range(0, Math.Max(1, connections)).Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = WireCounting.Handler(new SocketsHttpHandler { EnableMultipleHttp2Connections = false, UseProxy = false, AllowAutoRedirect = false, ActivityHeadersPropagator = LoadTargets.NoTraceContext }),
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        })).ToArray();

    public const string ConnectionClosed = "connection closed by the server";

    /// <summary>
    /// A call's failure by kind: its status, and whether the server closed the whole connection under it (a GOAWAY with an
    /// error), which fails every call in flight on that connection at once whatever they were doing.
    /// </summary>
    public static string ErrorKind(RpcException e) => e.StatusCode switch
    {
        StatusCode.DeadlineExceeded => "timeout",
        _ when ClosedByServer(e.Status.DebugException) => $"gRPC {e.StatusCode}, {ConnectionClosed}",
        _ => $"gRPC {e.StatusCode}",
    };

    private static bool ClosedByServer(Exception? e) => e switch
    {
        null => false,
        // SocketsHttpHandler's words for a GOAWAY with an error code: "The HTTP/2 server closed the connection."
        HttpProtocolException protocol => protocol.Message.Contains("server closed the connection", StringComparison.Ordinal),
        _ => ClosedByServer(e.InnerException),
    };
}
