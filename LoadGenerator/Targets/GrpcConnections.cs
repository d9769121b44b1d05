using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;
using ServiceDefaults.Wire;

namespace LoadGenerator.Targets;

/// <summary>What both gRPC targets do alike: open their connections, and name an error.</summary>
public static class GrpcConnections
{
    /// <summary>One connection's handler: it never opens a second connection, and counts its bytes.</summary>
    public static HttpMessageHandler Handler() => WireCounting.Handler(new SocketsHttpHandler
    {
        EnableMultipleHttp2Connections = false, UseProxy = false, AllowAutoRedirect = false, ActivityHeadersPropagator = LoadTargets.NoTraceContext,
    });

    /// <summary>One channel per connection, each with a <see cref="Handler"/> of its own.</summary>
    public static GrpcChannel[] Open(Uri address, int connections) =>
        Enumerable.Range(0, Math.Max(1, connections)).Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = Handler(),
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        })).ToArray();

    public const string ConnectionClosed = "connection closed by the server";

    /// <summary>
    /// A call's failure by kind: its status, and whether the server closed the whole connection under it (a GOAWAY with an
    /// error), which fails every call in flight on that connection at once whatever they were doing.
    /// </summary>
    public static string ErrorKind(RpcException e) => ErrorKind(e.StatusCode, e.Status.DebugException);

    /// <summary>
    /// A call that failed below gRPC, named as Grpc.Net.Client names it: an HTTP/2 error code by gRPC's mapping
    /// (REFUSED_STREAM unavailable, CANCEL cancelled, ENHANCE_YOUR_CALM resource exhausted, the rest internal), anything
    /// else on the connection unavailable.
    /// </summary>
    public static string ErrorKind(Exception e) => ErrorKind(ProtocolError(e) switch
    {
        null or 0x7 => StatusCode.Unavailable,
        0x8 => StatusCode.Cancelled,
        0xb => StatusCode.ResourceExhausted,
        0xc => StatusCode.PermissionDenied,
        _ => StatusCode.Internal,
    }, e);

    /// <summary>The status of an answer that is not HTTP 200, by gRPC's HTTP mapping.</summary>
    public static StatusCode StatusOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>The <c>grpc-status</c> among these headers; null when there is none.</summary>
    public static StatusCode? StatusOf(HttpHeaders headers) =>
        headers.NonValidated.TryGetValues("grpc-status", out var values) && int.TryParse(values.ToString(), out var code) ? (StatusCode)code : null;

    /// <summary>A failed status by kind: a deadline is a timeout, whoever's it was; <paramref name="cause"/> tells a connection the server closed.</summary>
    public static string ErrorKind(StatusCode status, Exception? cause = null) => status switch
    {
        StatusCode.DeadlineExceeded => "timeout",
        _ when ClosedByServer(cause) => $"gRPC {status}, {ConnectionClosed}",
        _ => $"gRPC {status}",
    };

    private static long? ProtocolError(Exception? e) => e switch
    {
        null => null,
        HttpProtocolException protocol => protocol.ErrorCode,
        _ => ProtocolError(e.InnerException),
    };

    private static bool ClosedByServer(Exception? e) => e switch
    {
        null => false,
        // SocketsHttpHandler's words for a GOAWAY with an error code: "The HTTP/2 server closed the connection."
        HttpProtocolException protocol => protocol.Message.Contains("server closed the connection", StringComparison.Ordinal),
        _ => ClosedByServer(e.InnerException),
    };
}
