using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Protos;
using ServiceDefaults;
using ServiceDefaults.Hops;
using ServiceDefaults.Wire;

namespace Benchmarks.Tests.Wire;

/// <summary>
/// Bytes on the wire counted at both ends of real connections: Kestrel on an ephemeral port with the counting middleware,
/// HttpClient and a gRPC channel with the counting handler. Each end must count what the other did, byte for byte.
/// </summary>
public sealed class WireCountingTests
{
    private const int Requests = 20;
    /// <summary>Generous for one request's headers and framing; twice a body (a double count) is far beyond it.</summary>
    private const int OverheadPerRequest = 300;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly WireTotals server = new();
    private readonly WireTotals client = new();

    [Fact]
    public async Task Over_http11_once_the_connections_close_each_end_counted_what_the_other_did_and_the_bodies_whole()
    {
        var app = await StartAsync(HttpProtocols.Http1);
        long sent, received;
        using (var http = new HttpClient(WireCounting.Handler(client: client)))
        {
            (sent, received) = await SendAsync(http, Address(app), HttpVersion.Version11);
        }
        // Both ends closed: what each counted is folded into its totals for good.
        await app.StopAsync();
        await app.DisposeAsync();

        var (ofClient, ofServer) = (client.Total(), server.Total());
        Assert.Equal(ofClient.Written, ofServer.Read);
        Assert.Equal(ofClient.Read, ofServer.Written);
        Assert.InRange(ofClient.Written, sent, sent + Requests * OverheadPerRequest);
        Assert.InRange(ofClient.Read, received, received + Requests * OverheadPerRequest);
    }

    [Fact]
    public async Task Over_h2c_once_the_connection_is_idle_each_end_counted_what_the_other_did_control_frames_included()
    {
        await using var app = await StartAsync(HttpProtocols.Http2);
        using var http = new HttpClient(WireCounting.Handler(client: client));

        var (sent, received) = await SendAsync(http, Address(app), HttpVersion.Version20);

        var (ofClient, ofServer) = await MirroredAsync();
        Assert.Equal(ofClient.Written, ofServer.Read);
        Assert.Equal(ofClient.Read, ofServer.Written);
        // The preface, SETTINGS and WINDOW_UPDATE frames come on top of each request's HEADERS and DATA.
        Assert.InRange(ofClient.Written, sent, sent + Requests * OverheadPerRequest);
        Assert.InRange(ofClient.Read, received, received + Requests * OverheadPerRequest);
    }

    [Fact]
    public async Task A_grpc_channel_through_the_counting_handler_calls_unary_and_bidi_and_both_ends_count_it()
    {
        await using var app = await StartAsync(HttpProtocols.Http2);
        using var channel = GrpcChannel.ForAddress(Address(app), new GrpcChannelOptions { HttpHandler = WireCounting.Handler(client: client) });
        var ceiling = new CeilingService.CeilingServiceClient(channel);

        for (var i = 0; i < Requests; i++)
        {
            await ceiling.NoopAsync(new Empty());
        }
        using (var stream = ceiling.NoopStream())
        {
            for (ulong id = 1; id <= Requests; id++)
            {
                await stream.RequestStream.WriteAsync(new Echo { CorrelationId = id });
                Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
            }
            await stream.RequestStream.CompleteAsync();
            Assert.False(await stream.ResponseStream.MoveNext(CancellationToken.None));
        }

        var (ofClient, ofServer) = await MirroredAsync();
        Assert.Equal(ofClient.Written, ofServer.Read);
        Assert.Equal(ofClient.Read, ofServer.Written);
        // A unary call is at least a HEADERS frame and a DATA frame (9-byte headers, 5-byte message prefix) each way, and trailers back.
        Assert.True(ofClient.Written >= Requests * (9 + 9 + 5), $"{ofClient.Written} bytes written");
        Assert.True(ofClient.Read >= Requests * (9 + 9 + 5 + 9), $"{ofClient.Read} bytes read");
    }

    /// <summary>Posts bodies of known sizes and reads answers of known sizes; returns the bodies' bytes each way.</summary>
    private static async Task<(long Sent, long Received)> SendAsync(HttpClient http, Uri address, Version version)
    {
        long sent = 0, received = 0;
        for (var i = 1; i <= Requests; i++)
        {
            var (up, down) = (i * 1024, i * 2048);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"/echo?size={down}"))
            {
                Content = new ByteArrayContent(new byte[up]),
                Version = version,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            Assert.Equal(version, response.Version);
            Assert.Equal(down, (await response.Content.ReadAsByteArrayAsync()).Length);
            (sent, received) = (sent + up, received + down);
        }
        return (sent, received);
    }

    /// <summary>The totals once each end has counted what the other sent (the last frames may still be on their way); as they are after a while if never.</summary>
    private async Task<(WireBytes Client, WireBytes Server)> MirroredAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var (ofClient, ofServer) = (client.Total(), server.Total());
            if ((ofClient.Written == ofServer.Read && ofClient.Read == ofServer.Written) || DateTime.UtcNow > deadline) return (ofClient, ofServer);
            await Task.Delay(20);
        }
    }

    /// <summary>Kestrel on an ephemeral loopback port, every connection counted: an echo of known size, and the gRPC ceiling.</summary>
    private async Task<WebApplication> StartAsync(HttpProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            listen.UseWireCounting(server);
        }));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new ChainOptions());
        builder.Services.AddSingleton<DuplexPump>();
        var app = builder.Build();
        app.MapPost("/echo", async (HttpRequest request, int size) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Bytes(new byte[size]);
        });
        app.MapGrpcService<CeilingGrpc>();
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) => new(app.Urls.Single());
}
