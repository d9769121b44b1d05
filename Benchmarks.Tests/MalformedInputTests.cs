using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Google.Protobuf;
using Grpc.Core;
using LoadGenerator.Targets;
using Protos;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>
/// What no real client sends: broken gRPC frames, garbage after a good message, streams never read, and a seeded
/// random pass over both edges. Each gets a clear status, the services stay up, and no stream is left open.
/// </summary>
[Collection(ChainCollection.Name)]
public class MalformedInputTests(ChainApp chain)
{
    private const string Edge = "aggregator-grpc";

    public static TheoryData<string, byte[]> BrokenUnaryBodies => new()
    {
        { "not protobuf", GrpcUnaryTarget.Framed([0xFF, 0xFF, 0xFF, 0xFF]) },
        { "a frame longer than its body", [0, 0, 0, 0, 100, 0x08, 0x01] },
        { "a compressed frame without an encoding", [1, 0, 0, 0, 2, 0x08, 0x01] },
        { "two messages on a unary call", [.. GrpcUnaryTarget.Framed(Valid(1)), .. GrpcUnaryTarget.Framed(Valid(2))] },
    };

    [Theory]
    [MemberData(nameof(BrokenUnaryBodies))]
    public async Task A_broken_unary_request_gets_an_error_status_with_a_message_and_the_service_serves_on(string what, byte[] body)
    {
        var ct = Eventually.Within(60);
        var pid = (await chain.StatsAsync(Edge, ct)).ProcessId;

        var (status, message, _) = await PostAsync("/AggregatorService/Aggregate", body, ct);

        Assert.True(Clear(status, message), $"{what}: {status} {message}");
        await ServesOnAsync(pid, ct);
    }

    [Fact]
    public async Task Garbage_after_a_good_message_on_a_stream_still_answers_the_good_one_then_ends_with_InvalidArgument()
    {
        var ct = Eventually.Within(60);
        var before = await chain.StatsAsync(Edge, ct);

        var (status, message, answers) = await PostAsync("/AggregatorService/AggregateStream", [.. GrpcUnaryTarget.Framed(Valid(7)), .. GrpcUnaryTarget.Framed([0xFF, 0xFF, 0xFF])], ct);

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Contains("could not be read", message);
        var answer = Assert.Single(answers);
        Assert.Equal(7ul, AggregateResponse.Parser.ParseFrom(answer).CorrelationId);
        await StreamsBackToAsync(before.StreamsOpen, ct);
        await ServesOnAsync(before.ProcessId, ct);
    }

    [Fact]
    public async Task Streams_that_are_never_read_hold_no_more_than_their_window_and_close_when_the_client_leaves()
    {
        var ct = Eventually.Within(90);
        const int streams = 20, perStream = 200;
        var before = await chain.StatsAsync(Edge, ct);
        using var leave = new CancellationTokenSource();
        var calls = Enumerable.Range(0, streams).Select(_ => chain.Grpc.AggregateStream(cancellationToken: leave.Token)).ToList();
        var writes = calls.Select(async call =>
        {
            try
            {
                for (var i = 0; i < perStream; i++) await call.RequestStream.WriteAsync(new AggregateRequest { CorrelationId = (ulong)i }, leave.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException)
            {
                // The client left while its writes were held back by flow control.
            }
        }).ToList();

        await Eventually.TrueAsync(async () => (await chain.StatsAsync(Edge, ct)).StreamsOpen >= before.StreamsOpen + streams, TimeSpan.FromSeconds(20), "the streams did not open", ct);
        // Meanwhile everyone else is served.
        Assert.Equal(BatchSpec.DefaultSize, (await chain.Grpc.AggregateAsync(new AggregateRequest(), cancellationToken: ct)).Count);

        await leave.CancelAsync();
        await Task.WhenAll(writes);
        foreach (var call in calls) call.Dispose();
        await StreamsBackToAsync(before.StreamsOpen, ct);
        var after = await chain.StatsAsync(Edge, ct);
        Assert.Equal(before.ProcessId, after.ProcessId);
        Assert.Equal(0, after.InFlight);
    }

    [Fact]
    public async Task A_seeded_random_pass_over_both_edges_gets_only_answers_and_clear_refusals()
    {
        var ct = Eventually.Within(120);
        var random = new Random(20261124);
        var grpcBefore = await chain.StatsAsync(Edge, ct);
        var restPid = (await chain.StatsAsync("aggregator-rest", ct)).ProcessId;

        for (var i = 0; i < 300; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/aggregate?" + RandomQuery(random));
            var budget = random.Next(4) == 0 ? new string(RandomValue(random).Where(char.IsAscii).ToArray()) : null;
            if (budget is not null) request.Headers.TryAddWithoutValidation(RequestBudget.Header, budget);
            using var response = await chain.Rest.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            // A valid budget of under a second (the seed draws 48 ms and 12 ms ones) can run out on a busy machine, and
            // then a 504 saying so is the right answer, whether it ran out at the edge ("ran out") or on its way down
            // ("processor-rest did not answer within the request's 12 ms"); for any other request it is not.
            // The service reads the header's value without the spaces around it, as HTTP says (the seed draws " 12 ").
            var tight = long.TryParse(budget?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is >= 1 and < 1000;
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.RequestUriTooLong
                || (tight && response.StatusCode == HttpStatusCode.GatewayTimeout && (body.Contains("ran out") || body.Contains($"within the request's {ms} ms"))),
                $"{request.RequestUri} ({RequestBudget.Header}: {budget}) → {(int)response.StatusCode} {body}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()), body);
            }
        }

        for (var i = 0; i < 200; i++)
        {
            var stream = random.Next(2) == 0;
            var frames = Enumerable.Range(0, stream ? random.Next(1, 4) : 1).SelectMany(_ => GrpcUnaryTarget.Framed(RandomMessage(random))).ToArray();
            var (status, message, _) = await PostAsync(stream ? "/AggregatorService/AggregateStream" : "/AggregatorService/Aggregate", frames, ct);
            Assert.True(status == StatusCode.OK || Clear(status, message), $"{Convert.ToHexString(frames)} → {status} {message}");
        }

        Assert.Equal(restPid, (await chain.StatsAsync("aggregator-rest", ct)).ProcessId);
        Assert.True((await chain.Rest.GetAsync("/aggregate", ct)).IsSuccessStatusCode);
        await StreamsBackToAsync(grpcBefore.StreamsOpen, ct);
        await ServesOnAsync(grpcBefore.ProcessId, ct);
    }

    /// <summary>
    /// A refusal that says what is wrong. An undecodable unary request is Unknown: grpc-dotnet decodes it before any of
    /// the service's code runs, so the service can't choose the code, only (detailed errors on) have the reason named.
    /// </summary>
    private static bool Clear(StatusCode status, string message) => status switch
    {
        StatusCode.InvalidArgument or StatusCode.Internal or StatusCode.Unimplemented => message.Length > 0,
        StatusCode.Unknown => message.Contains("InvalidProtocolBufferException"),
        _ => false,
    };

    private static string RandomQuery(Random random)
    {
        string[] names = ["seed", "size", "Seed", "x", "", "size[]", "%00"];
        return string.Join('&', Enumerable.Range(0, random.Next(0, 4)).Select(_ => $"{names[random.Next(names.Length)]}={Uri.EscapeDataString(RandomValue(random))}"));
    }

    private static string RandomValue(Random random) => random.Next(8) switch
    {
        0 => random.NextInt64(long.MinValue, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => random.Next(-10, 200).ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => "",
        3 => new string('9', random.Next(1, 60)),
        4 => Encoding.Latin1.GetString(Enumerable.Range(0, random.Next(1, 20)).Select(_ => (byte)random.Next(32, 256)).ToArray()),
        5 => "1e3",
        6 => " 12 ",
        _ => random.Next(1, 100_001).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Sometimes a real request with random fields, sometimes random bytes.</summary>
    private static byte[] RandomMessage(Random random)
    {
        if (random.Next(2) == 0)
        {
            return new AggregateRequest { Seed = random.NextInt64(), Size = random.Next(-5, 20), CorrelationId = (ulong)random.Next(), TimeoutMs = (uint)random.Next(0, 5000) }.ToByteArray();
        }
        var bytes = new byte[random.Next(0, 48)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Valid(ulong id) => new AggregateRequest { CorrelationId = id }.ToByteArray();

    /// <summary>One raw HTTP/2 gRPC call with the given body: the status, its message, and the payloads of the messages answered.</summary>
    private async Task<(StatusCode Status, string Message, List<byte[]> Answers)> PostAsync(string path, byte[] body, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = chain.App.GetEndpoint(Edge, "grpc") };
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await http.SendAsync(request, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var headers = response.TrailingHeaders.Contains("grpc-status") ? response.TrailingHeaders : response.Headers;
        var status = (StatusCode)int.Parse(headers.GetValues("grpc-status").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var message = headers.TryGetValues("grpc-message", out var values) ? Uri.UnescapeDataString(values.Single()) : "";
        var answers = new List<byte[]>();
        for (var at = 0; at + 5 <= bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 1));
            answers.Add(bytes[(at + 5)..(at + 5 + length)]);
            at += 5 + length;
        }
        return (status, message, answers);
    }

    private async Task ServesOnAsync(int pid, CancellationToken ct)
    {
        Assert.Equal(BatchSpec.DefaultSize, (await chain.Grpc.AggregateAsync(new AggregateRequest(), cancellationToken: ct)).Count);
        Assert.Equal(pid, (await chain.StatsAsync(Edge, ct)).ProcessId);
    }

    private async Task StreamsBackToAsync(long open, CancellationToken ct) =>
        await Eventually.TrueAsync(async () => (await chain.StatsAsync(Edge, ct)).StreamsOpen == open, TimeSpan.FromSeconds(10), $"{Edge} did not return to {open} open streams", ct);
}
