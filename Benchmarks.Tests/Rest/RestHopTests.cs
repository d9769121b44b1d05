using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aggregator;
using LoadGenerator;
using LoadGenerator.Runs;
using LoadGenerator.Targets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Processor;
using Producer;
using Protos;
using ServiceDefaults;
using ServiceDefaults.Rest;

namespace Benchmarks.Tests.Rest;

/// <summary>
/// The REST chain's wire, in-process: the three roles' real handlers on real Kestrels (HTTP/1.1 and h2c endpoints on
/// ephemeral ports), each hop through a real <see cref="ServiceDefaults.Hops.RestHop"/> found by service discovery.
/// </summary>
public class RestHopTests
{
    public static TheoryData<RestHttpVersion, RestEncoding> Wires => new()
    {
        { RestHttpVersion.Http11, RestEncoding.Json },
        { RestHttpVersion.Http2, RestEncoding.Json },
        { RestHttpVersion.Http11, RestEncoding.Protobuf },
        { RestHttpVersion.Http2, RestEncoding.Protobuf },
    };

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task A_request_goes_down_the_chain_over_the_version_it_came_on_asking_for_its_encoding(RestHttpVersion version, RestEncoding encoding)
    {
        await using var chain = await InProcessChain.StartAsync();
        var spec = new BatchSpec(5, 25);

        using var response = await GetAsync(new Uri(chain.Aggregator.Endpoint(version), $"/aggregate?{spec.ToQuery()}"), version, encoding);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version.ToVersion(), response.Version);
        Assert.Equal(encoding is RestEncoding.Protobuf ? RestEncodings.ProtobufMediaType : "application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(WorkTests.Expected(spec), await encoding.ReadAggregateAsync(response.Content, Eventually.Within(10)));
        // Each hop went on as the request came: same HTTP version, same encoding asked for, once.
        var protocol = version is RestHttpVersion.Http2 ? "HTTP/2" : "HTTP/1.1";
        foreach (var hop in new[] { chain.Processor, chain.Producer })
        {
            var seen = Assert.Single(hop.Seen);
            Assert.Equal((protocol, encoding), (seen.Protocol, seen.Encoding));
        }
    }

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task The_load_generator_sends_each_wire_and_http2_keeps_one_connection_on_every_hop(RestHttpVersion version, RestEncoding encoding)
    {
        await using var chain = await InProcessChain.StartAsync();
        var settings = new LoadSettings
        {
            Target = TargetKind.Rest, Address = new Uri(chain.Aggregator.Endpoint(version), "/aggregate"), Requests = 60, Concurrency = 12,
            Connections = 12, Warmup = TimeSpan.Zero, Size = 7, HttpVersion = version, Encoding = encoding,
        };

        await using var target = LoadTargets.Create(settings);
        var run = await LoadRun.RunAsync("wire", target, settings, null, Eventually.Within(60));

        Assert.Equal((60, 0), (run.Succeeded, run.Failed));
        Assert.Equal(version is RestHttpVersion.Http2 ? "HTTP/2 (h2c), 1 connection" : "HTTP/1.1, 12 keep-alive connections", target.Shape(settings));
        Assert.All(new[] { chain.Aggregator, chain.Processor, chain.Producer }, hop => Assert.All(hop.Seen, seen => Assert.Equal(encoding, seen.Encoding)));
        if (version is RestHttpVersion.Http2)
        {
            // Twelve requests in flight at a time, multiplexed: one connection into each service.
            Assert.All(new[] { chain.Aggregator, chain.Processor, chain.Producer }, hop => Assert.Single(hop.Seen.Select(s => s.Connection).Distinct()));
        }
    }

    public static TheoryData<RestHttpVersion, RestEncoding, string, byte[], string> BadAnswers => new()
    {
        { RestHttpVersion.Http11, RestEncoding.Protobuf, RestEncodings.ProtobufMediaType, [0x12, 0x05, 0x08], "producer-rest answered malformed protobuf: " },
        { RestHttpVersion.Http2, RestEncoding.Protobuf, RestEncodings.ProtobufMediaType, [0x12, 0x05, 0x08], "producer-rest answered malformed protobuf: " },
        { RestHttpVersion.Http2, RestEncoding.Protobuf, "application/json", """{"records":[]}"""u8.ToArray(), $"producer-rest answered application/json where {RestEncodings.ProtobufMediaType} was asked for" },
        { RestHttpVersion.Http11, RestEncoding.Json, "application/json", """{"records":"""u8.ToArray(), "producer-rest answered malformed JSON: " },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task A_downstream_answering_a_body_it_was_not_asked_for_is_a_502_problem_naming_it(
        RestHttpVersion version, RestEncoding encoding, string contentType, byte[] body, string detail)
    {
        await using var producer = await RestService.StartAsync("producer-rest", null, app => app.MapGet("/generate", () => Results.Bytes(body, contentType)));
        await using var processor = await RestService.StartAsync("processor-rest", producer, app => app.MapChainGet("/process", ProcessorRest.HandleAsync));

        using var response = await GetAsync(new Uri(processor.Endpoint(version), "/process"), version, encoding);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Eventually.Within(10));
        Assert.StartsWith(detail, problem.GetProperty("detail").GetString());
        Assert.Equal(version is RestHttpVersion.Http2 ? "HTTP/2" : "HTTP/1.1", Assert.Single(producer.Seen).Protocol);
    }

    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false });

    private static Task<HttpResponseMessage> GetAsync(Uri url, RestHttpVersion version, RestEncoding encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = version.ToVersion(), VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        encoding.Ask(request);
        return Client.SendAsync(request, Eventually.Within(30));
    }

    /// <summary>The three REST roles, each calling the next as in the AppHost.</summary>
    private sealed record InProcessChain(RestService Producer, RestService Processor, RestService Aggregator) : IAsyncDisposable
    {
        public static async Task<InProcessChain> StartAsync()
        {
            var producer = await RestService.StartAsync("producer-rest", null, app => app.MapChainGet("/generate", ProducerRest.HandleAsync));
            var processor = await RestService.StartAsync("processor-rest", producer, app => app.MapChainGet("/process", ProcessorRest.HandleAsync));
            var aggregator = await RestService.StartAsync("aggregator-rest", processor, app => app.MapChainGet("/aggregate", AggregatorRest.HandleAsync));
            return new InProcessChain(producer, processor, aggregator);
        }

        public async ValueTask DisposeAsync()
        {
            await Aggregator.DisposeAsync();
            await Processor.DisposeAsync();
            await Producer.DisposeAsync();
        }
    }
}
