using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Protos;
using ServiceDefaults;

namespace LoadGenerator.Targets;

/// <summary>
/// AggregatorService.Aggregate (or the ceiling's no-op) as h2load sends it: the request framed once, every call one HTTP/2
/// request of those bytes, spread over a fixed number of connections (ghz's <c>--connections</c>), the answer's frame and
/// its <c>grpc-status</c> read here. The services see a gRPC call as any client makes it (content type, TE, the deadline
/// as <c>grpc-timeout</c>, the stream mode); the load generator skips Grpc.Net.Client's per-call machinery, which took a
/// third of its CPU per call: it is a guest on the machine it measures.
/// </summary>
public sealed class GrpcUnaryTarget : ILoadTarget
{
    private readonly HttpMessageInvoker[] connections;
    private readonly Uri method;
    private readonly byte[] frame;
    private readonly LoadSettings settings;
    private readonly string deadline;
    private readonly string? mode;
    private int next;

    public GrpcUnaryTarget(LoadSettings settings)
    {
        this.settings = settings;
        connections = Enumerable.Range(0, Math.Max(1, settings.Connections)).Select(_ => new HttpMessageInvoker(GrpcConnections.Handler())).ToArray();
        var (service, request) = settings.Target == TargetKind.GrpcNoop
            ? ("/" + CeilingService.Descriptor.FullName + "/Noop", (IMessage)new Empty())
            : ("/" + AggregatorService.Descriptor.FullName + "/Aggregate", new AggregateRequest { Seed = settings.Seed, Size = settings.Size });
        method = new Uri(settings.Address, service);
        frame = Framed(request.ToByteArray());
        // gRPC's timeout header takes at most 8 digits and a unit.
        var ms = (long)settings.Timeout.TotalMilliseconds;
        deadline = ms <= 99_999_999 ? ms.ToString(CultureInfo.InvariantCulture) + "m" : ((long)settings.Timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "S";
        mode = settings.StreamMode is { } streamMode ? StreamModes.ToHeaderValue(streamMode) : null;
    }

    public string Shape(LoadSettings run) =>
        $"HTTP/2, {Counted.Of(connections.Length, "connection")} × up to {Counted.Of(Math.Max(1, run.Concurrency / connections.Length), "concurrent stream")}";

    public async ValueTask<string?> SendAsync(CancellationToken ct)
    {
        var i = (int)((uint)Interlocked.Increment(ref next) % (uint)connections.Length);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(ct);
        call.CancelAfter(settings.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, method)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-timeout", deadline);
        if (mode is not null) request.Headers.TryAddWithoutValidation(StreamModes.Header, mode);
        try
        {
            using var response = await connections[i].SendAsync(request, call.Token);
            if (response.StatusCode != HttpStatusCode.OK) return GrpcConnections.ErrorKind(GrpcConnections.StatusOf(response.StatusCode));
            var body = await response.Content.ReadAsByteArrayAsync(call.Token);
            // A failed call is often trailers-only: its status comes in the headers.
            var status = GrpcConnections.StatusOf(response.TrailingHeaders) ?? GrpcConnections.StatusOf(response.Headers);
            if (status is not StatusCode.OK) return status is { } failed ? GrpcConnections.ErrorKind(failed) : "gRPC Internal, no grpc-status";
            if (!IsOneMessage(body)) return "malformed answer";
            return settings.Target == TargetKind.GrpcNoop || AggregateResponse.Parser.ParseFrom(body, 5, body.Length - 5).Count == settings.Size ? null : "wrong answer";
        }
        catch (OperationCanceledException) when (call.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return "timeout";
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            return GrpcConnections.ErrorKind(e);
        }
    }

    /// <summary>gRPC's length-prefixed message: not compressed, four bytes of length, the message.</summary>
    public static byte[] Framed(byte[] message)
    {
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    /// <summary>Whether an answer's body is exactly one uncompressed message, after its 5 bytes of prefix.</summary>
    private static bool IsOneMessage(byte[] body) =>
        body.Length >= 5 && body[0] == 0 && BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1)) == body.Length - 5;

    public ValueTask DisposeAsync()
    {
        foreach (var connection in connections) connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
