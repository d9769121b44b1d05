using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Benchmarks.Tests.Rest;
using LoadGenerator;
using LoadGenerator.Runs;
using Protos;
using Protos.Json;
using ServiceDefaults;
using ServiceDefaults.Rest;

namespace Benchmarks.Tests;

/// <summary>Both chains end to end, through the real AppHost, DCP, Kestrel and gRPC.</summary>
[Collection(ChainCollection.Name)]
public class ChainTests(ChainApp chain)
{
    [Fact]
    public void All_six_services_are_healthy()
    {
        foreach (var name in ChainApp.Services)
        {
            Assert.True(chain.App.ResourceNotifications.TryGetCurrentState(name, out var resource), name);
            Assert.Equal(HealthStatus.Healthy, resource.Snapshot.HealthStatus);
        }
    }

    [Fact]
    public async Task Each_grpc_service_answers_the_standard_health_check_on_its_grpc_port_and_it_is_nobodys_request()
    {
        var ct = Eventually.Within(30);
        foreach (var name in ChainApp.Services.Where(s => s.EndsWith("-grpc")))
        {
            var before = await chain.StatsAsync(name, ct);
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(chain.App.GetEndpoint(name, "grpc"));
            var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), cancellationToken: ct);
            Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
            // A probe is not one of the chain's requests: the counts a load run reconciles against don't move.
            var after = await chain.StatsAsync(name, ct);
            Assert.Equal((before.Served, before.Failed, before.InFlight), (after.Served, after.Failed, after.InFlight));
        }
    }

    [Fact]
    public void Each_chain_is_a_group_under_its_edge_and_h2c_addresses_are_details_not_links()
    {
        foreach (var name in ChainApp.Services)
        {
            Assert.True(chain.App.ResourceNotifications.TryGetCurrentState(name, out var resource), name);
            var snapshot = resource.Snapshot;
            var edge = "aggregator-" + name[(name.LastIndexOf('-') + 1)..];
            var parents = snapshot.Relationships.Where(r => r.Type == "Parent").Select(r => r.ResourceName).ToArray();
            Assert.Equal(name == edge ? [] : [edge], parents);
            // A browser can't open cleartext HTTP/2 with prior knowledge: the gRPC ports and the REST h2c ports are listed, not linked.
            var h2c = name.EndsWith("-grpc") ? "grpc" : "h2c";
            Assert.All(snapshot.Urls, url => Assert.Equal(url.Name == h2c, url.IsInternal));
            Assert.Contains(snapshot.Urls, url => url.Name == "http" && !url.IsInternal);
        }
    }

    [Theory]
    [InlineData(42, 10)]
    [InlineData(-7, 1)]
    [InlineData(123456789, 1_000)]
    [InlineData(long.MaxValue, 100_000)]
    public async Task Rest_and_grpc_return_the_same_aggregate_and_the_right_one(long seed, int size)
    {
        var ct = Eventually.Within(60);
        var spec = new BatchSpec(seed, size);

        var rest = await chain.Rest.GetFromJsonAsync($"/aggregate?{spec.ToQuery()}", ChainJsonContext.Default.AggregateJson, ct);
        var grpc = await chain.Grpc.AggregateAsync(new AggregateRequest { Seed = seed, Size = size }, cancellationToken: ct);

        var expected = WorkTests.Expected(spec);
        Assert.Equal(expected, rest);
        Assert.Equal(expected, new AggregateJson(grpc.Count, grpc.Sum, grpc.Mean, grpc.Min, grpc.Max));
    }

    [Fact]
    public async Task An_empty_request_is_the_originals_default_call_on_both_chains()
    {
        var ct = Eventually.Within(30);
        var rest = await chain.Rest.GetFromJsonAsync("/aggregate", ChainJsonContext.Default.AggregateJson, ct);
        var grpc = await chain.Grpc.AggregateAsync(new AggregateRequest(), cancellationToken: ct);

        Assert.Equal(WorkTests.Expected(BatchSpec.Default), rest);
        Assert.Equal(rest!.Sum, grpc.Sum);
        Assert.Equal(BatchSpec.DefaultSize, grpc.Count);
    }

    [Fact]
    public async Task A_thousand_concurrent_requests_over_shared_streams_each_get_their_own_answer()
    {
        var ct = Eventually.Within(120);
        var seeds = Enumerable.Range(0, 1_000).Select(i => 10_000L + i * 7919).ToArray();
        var before = await chain.StatsAsync("processor-grpc", ct);

        var answers = await Task.WhenAll(seeds.Select(seed =>
            chain.Grpc.AggregateAsync(new AggregateRequest { Seed = seed, Size = 25 }, cancellationToken: ct).ResponseAsync));

        // All of them travelled over the few shared streams already open (4 per hop), none of their own; the processor
        // also holds the 4 batched ones once a batched call has been made.
        var after = await chain.StatsAsync("processor-grpc", ct);
        Assert.InRange(after.StreamsOpened - before.StreamsOpened, 0, 4);
        Assert.InRange(after.StreamsOpen, 1, 8);
        Assert.Equal(seeds.Length, after.Served - before.Served);

        for (var i = 0; i < seeds.Length; i++)
        {
            var expected = WorkTests.Expected(new BatchSpec(seeds[i], 25));
            Assert.Equal(expected, new AggregateJson(answers[i].Count, answers[i].Sum, answers[i].Mean, answers[i].Min, answers[i].Max));
        }
    }

    [Fact]
    public async Task Concurrent_requests_over_batched_streams_each_get_their_own_answer_in_fewer_messages_than_requests()
    {
        var ct = Eventually.Within(120);
        var seeds = Enumerable.Range(0, 1_000).Select(i => 20_000L + i * 104_729).ToArray();
        var batched = StreamModes.Headers(StreamMode.Batched);
        var before = await chain.StatsAsync("producer-grpc", ct);

        var answers = await Task.WhenAll(seeds.Select(seed =>
            chain.Grpc.AggregateAsync(new AggregateRequest { Seed = seed, Size = 25 }, batched, cancellationToken: ct).ResponseAsync));

        // The header went down the chain: the producer served each request once, over a few streams of its own
        // (4 batched ones per hop), and with a thousand at once its messages each carried several.
        var after = await chain.StatsAsync("producer-grpc", ct);
        Assert.Equal(seeds.Length, after.Served - before.Served);
        Assert.InRange(after.StreamsOpened - before.StreamsOpened, 0, 4);
        var messagesIn = after.MessagesIn - before.MessagesIn;
        Assert.True(messagesIn is > 0 and < 1_000, $"{messagesIn} messages in for {seeds.Length} requests");
        for (var i = 0; i < seeds.Length; i++)
        {
            var expected = WorkTests.Expected(new BatchSpec(seeds[i], 25));
            Assert.Equal(expected, new AggregateJson(answers[i].Count, answers[i].Sum, answers[i].Mean, answers[i].Min, answers[i].Max));
        }
    }

    [Fact]
    public async Task Concurrent_requests_with_a_stream_each_get_the_same_answers_as_rest()
    {
        var ct = Eventually.Within(120);
        var seeds = Enumerable.Range(0, 300).Select(i => 5L * i - 700).ToArray();
        var perRequest = StreamModes.Headers(StreamMode.PerRequest);
        var before = await chain.StatsAsync("producer-grpc", ct);

        var grpc = await Task.WhenAll(seeds.Select(seed =>
            chain.Grpc.AggregateAsync(new AggregateRequest { Seed = seed, Size = 40 }, perRequest, cancellationToken: ct).ResponseAsync));
        var rest = await Task.WhenAll(seeds.Select(seed =>
            chain.Rest.GetFromJsonAsync($"/aggregate?seed={seed}&size=40", ChainJsonContext.Default.AggregateJson, ct)));

        // Each request opened a stream of its own on every hop, down to the producer.
        var after = await chain.StatsAsync("producer-grpc", ct);
        Assert.Equal(seeds.Length, after.StreamsOpened - before.StreamsOpened);
        Assert.Equal(seeds.Length, after.Served - before.Served);
        for (var i = 0; i < seeds.Length; i++)
        {
            Assert.Equal(WorkTests.Expected(new BatchSpec(seeds[i], 40)), rest[i]);
            Assert.Equal(rest[i], new AggregateJson(grpc[i].Count, grpc[i].Sum, grpc[i].Mean, grpc[i].Min, grpc[i].Max));
        }
    }

    [Fact]
    public async Task An_unknown_stream_mode_is_InvalidArgument()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => chain.Grpc.AggregateAsync(new AggregateRequest(),
            new Metadata { { StreamModes.Header, "sometimes" } }, cancellationToken: Eventually.Within(30)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(StreamModes.Header, e.Status.Detail);
    }

    [Fact]
    public async Task The_streaming_edge_answers_every_request_by_correlation_id_and_survives_a_bad_one()
    {
        var ct = Eventually.Within(60);
        using var call = chain.Grpc.AggregateStream(cancellationToken: ct);
        var sent = new Dictionary<ulong, AggregateRequest>();
        for (ulong id = 1; id <= 200; id++)
        {
            // Every 50th request is invalid: it must fail alone, not the stream.
            var request = new AggregateRequest { Seed = (long)id, Size = id % 50 == 0 ? 0 : 5, CorrelationId = id };
            sent[id] = request;
            await call.RequestStream.WriteAsync(request, ct);
        }
        await call.RequestStream.CompleteAsync();

        var answered = new Dictionary<ulong, AggregateResponse>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(ct)) answered.Add(response.CorrelationId, response);

        Assert.Equal(sent.Keys.Order(), answered.Keys.Order());
        foreach (var (id, response) in answered)
        {
            if (sent[id].Size == 0)
            {
                Assert.Equal((int)StatusCode.InvalidArgument, response.Fault.Code);
                Assert.Contains("size", response.Fault.Detail);
            }
            else
            {
                Assert.Null(response.Fault);
                Assert.Equal(WorkTests.Expected(new BatchSpec((long)id, 5)).Sum, response.Sum);
            }
        }
    }

    [Fact]
    public async Task A_streaming_edge_named_batched_has_the_services_batch_behind_it()
    {
        var ct = Eventually.Within(120);
        var before = await chain.StatsAsync("producer-grpc", ct);
        using var call = chain.Grpc.AggregateStream(StreamModes.Headers(StreamMode.Batched), cancellationToken: ct);
        const ulong requests = 1_000;
        for (ulong id = 1; id <= requests; id++)
        {
            await call.RequestStream.WriteAsync(new AggregateRequest { Seed = 30_000 + (long)id, Size = 25, CorrelationId = id }, ct);
        }
        await call.RequestStream.CompleteAsync();
        var answered = new Dictionary<ulong, AggregateResponse>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(ct)) answered.Add(response.CorrelationId, response);

        // The edge's stream carries a request a message; behind it the producer took them packed, several a message.
        var after = await chain.StatsAsync("producer-grpc", ct);
        Assert.Equal((long)requests, after.Served - before.Served);
        var messagesIn = after.MessagesIn - before.MessagesIn;
        Assert.True(messagesIn is > 0 and < (long)requests, $"{messagesIn} messages in for {requests} requests");
        Assert.Equal((int)requests, answered.Count);
        foreach (var (id, response) in answered)
        {
            Assert.Null(response.Fault);
            Assert.Equal(WorkTests.Expected(new BatchSpec(30_000 + (long)id, 25)), new AggregateJson(response.Count, response.Sum, response.Mean, response.Min, response.Max));
        }
    }

    [Theory]
    [InlineData("seed=abc", "seed")]
    [InlineData("seed=", "seed")]
    [InlineData("size=0", "size")]
    [InlineData("size=-1", "size")]
    [InlineData("size=100001", "size")]
    [InlineData("size=1e3", "size")]
    public async Task Bad_rest_input_is_a_400_naming_the_field(string query, string field)
    {
        using var response = await chain.Rest.GetAsync($"/aggregate?{query}", Eventually.Within(30));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Eventually.Within(10));
        Assert.StartsWith(field, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [MemberData(nameof(RestHopTests.Wires), MemberType = typeof(RestHopTests))]
    public async Task Each_rest_wire_answers_through_the_chain_over_the_http_version_and_in_the_encoding_asked(RestHttpVersion version, RestEncoding encoding)
    {
        var ct = Eventually.Within(60);
        var spec = new BatchSpec(77, 300);

        // HTTP/2 goes to the edge's h2c endpoint, and each hop goes on over HTTP/2 to the next one's: an answer means every one was found and served.
        using var response = await SendAsync(version, encoding, $"/aggregate?{spec.ToQuery()}", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version.ToVersion(), response.Version);
        Assert.Equal(encoding is RestEncoding.Protobuf ? RestEncodings.ProtobufMediaType : "application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(WorkTests.Expected(spec), await encoding.ReadAggregateAsync(response.Content, ct));
    }

    [Theory]
    [InlineData(RestHttpVersion.Http11)]
    [InlineData(RestHttpVersion.Http2)]
    public async Task A_bad_size_asked_for_in_protobuf_is_still_a_400_problem(RestHttpVersion version)
    {
        var ct = Eventually.Within(30);

        using var response = await SendAsync(version, RestEncoding.Protobuf, "/aggregate?size=0", ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.StartsWith("size must be between 1 and", problem.GetProperty("detail").GetString());
    }

    /// <summary>A GET to the REST edge over exactly <paramref name="version"/> (HTTP/2 with prior knowledge to the h2c endpoint), asking for <paramref name="encoding"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(RestHttpVersion version, RestEncoding encoding, string pathAndQuery, CancellationToken ct)
    {
        var edge = chain.App.GetEndpoint("aggregator-rest", version is RestHttpVersion.Http2 ? ChainOptions.H2cEndpoint : "http");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge, pathAndQuery)) { Version = version.ToVersion(), VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        encoding.Ask(request);
        return await Http.SendAsync(request, ct);
    }

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false });

    [Fact]
    public async Task A_short_comparison_of_the_rest_wires_at_1000_records_reconciles_every_row_and_protobuf_carries_fewer_bytes_than_json()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var compare = new CompareSettings { Duration = TimeSpan.FromSeconds(1), Warmup = TimeSpan.Zero, Concurrency = 8, Sizes = [1000] };
        var addresses = chain.Addresses();
        using var probe = new ServiceProbe(addresses.Stats);

        var rows = new List<ComparisonRow>();
        foreach (var planned in ChainComparison.Plan(compare, addresses).Where(p => p.Scenario.Target == TargetKind.Rest))
        {
            rows.Add((await ChainComparison.MeasureAsync(planned, probe, null, timeout.Token)).Row);
        }

        Assert.Equal([Scenario.Rest, Scenario.RestJsonH2, Scenario.RestProtobuf, Scenario.RestProtobufH2], rows.Select(r => r.Run.Scenario));
        Assert.All(rows, row =>
        {
            Assert.True(row.Run.Succeeded > 0 && row.Run.Failed == 0, $"{row.Run.Name}: {row.Run.Succeeded} ok, errors {string.Join(", ", row.Run.Errors)}");
            Assert.True(row.Reconciliation.Matches, $"{row.Run.Name}: {row.Reconciliation.Detail}");
            Assert.Equal(["aggregator-rest", "processor-rest", "producer-rest"], row.Services.Select(s => s.Service).Order());
            Assert.Equal(row.Run.Settings.HttpVersion is RestHttpVersion.Http2 ? "HTTP/2 (h2c), 1 connection" : "HTTP/1.1, 8 keep-alive connections", row.Run.ConnectionShape);
            Assert.Equal(["load generator → aggregator", "aggregator → processor", "processor → producer"], row.Wire!.Select(hop => hop.Hop));
        });
        // Each hop between services carries the batch of 1,000 records back: protobuf's answer is smaller on either HTTP version.
        foreach (var (json, protobuf) in new[] { (rows[0], rows[2]), (rows[1], rows[3]) })
        {
            Assert.True(protobuf.ChainBytesPerRequest < json.ChainBytesPerRequest, $"{protobuf.Run.Name} {protobuf.ChainBytesPerRequest:N0} B/req, {json.Run.Name} {json.ChainBytesPerRequest:N0}");
            Assert.All(json.Wire!.Skip(1).Zip(protobuf.Wire!.Skip(1)), hops =>
                Assert.True(hops.Second.ResponseBytes < hops.First.ResponseBytes, $"{hops.First.Hop}: protobuf {hops.Second.ResponseBytes:N0} B/req, JSON {hops.First.ResponseBytes:N0}"));
        }
    }

    [Theory]
    [InlineData("GET", "/nowhere", HttpStatusCode.NotFound)]
    [InlineData("POST", "/aggregate", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "/aggregate", HttpStatusCode.MethodNotAllowed)]
    public async Task Unknown_paths_and_wrong_methods_are_4xx(string method, string path, HttpStatusCode expected)
    {
        using var response = await chain.Rest.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Eventually.Within(30));
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_query_string_is_refused_and_the_service_keeps_serving()
    {
        using var huge = await chain.Rest.GetAsync($"/aggregate?seed=1&pad={new string('x', 20_000)}", Eventually.Within(30));
        Assert.True((int)huge.StatusCode is 414 or 431 or 400, $"got {(int)huge.StatusCode}");

        Assert.Equal(WorkTests.Expected(BatchSpec.Default), await chain.Rest.GetFromJsonAsync("/aggregate", ChainJsonContext.Default.AggregateJson, Eventually.Within(30)));
    }

    [Fact]
    public async Task A_grpc_message_above_the_limit_is_refused_and_an_unknown_method_is_Unimplemented()
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(chain.App.GetEndpoint("aggregator-grpc", "grpc"));
        var invoker = channel.CreateCallInvoker();
        // A request padded with an unknown field: valid protobuf, far bigger than any real request.
        var oversized = new AggregateRequest { Seed = 1 };
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(oversized).Concat(UnknownField(200_000)).ToArray();
        var raw = new Method<byte[], byte[]>(MethodType.Unary, "AggregatorService", "Aggregate", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        var missing = new Method<byte[], byte[]>(MethodType.Unary, "AggregatorService", "Explode", raw.RequestMarshaller, raw.ResponseMarshaller);

        var tooBig = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(raw, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), bytes).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(missing, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), [0x08, 0x01]).ResponseAsync);

        // The server refuses as soon as it reads the frame's length; when that lands while the client is still writing the
        // body, the client sees the stream reset instead of the status. Either way it is refused and nothing else suffers.
        Assert.True(tooBig.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unknown or StatusCode.Internal or StatusCode.Cancelled,
            $"{tooBig.StatusCode}: {tooBig.Status.Detail}");
        Assert.Equal(StatusCode.Unimplemented, unknown.StatusCode);
        Assert.Equal(BatchSpec.DefaultSize, (await chain.Grpc.AggregateAsync(new AggregateRequest(), cancellationToken: Eventually.Within(30))).Count);
    }

    /// <summary>Protobuf bytes of field 15 as a length-delimited blob: skipped by the parser, counted by the size limit.</summary>
    private static byte[] UnknownField(int length)
    {
        using var stream = new MemoryStream();
        var output = new Google.Protobuf.CodedOutputStream(stream);
        output.WriteTag(15, Google.Protobuf.WireFormat.WireType.LengthDelimited);
        output.WriteBytes(Google.Protobuf.ByteString.CopyFrom(new byte[length]));
        output.Flush();
        return stream.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(BatchSpec.MaxSize + 1)]
    public async Task Bad_grpc_input_is_InvalidArgument_naming_the_field(int size)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            chain.Grpc.AggregateAsync(new AggregateRequest { Size = size }, cancellationToken: Eventually.Within(30)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("size", e.Status.Detail);
    }

    [Fact]
    public async Task A_stopped_processor_gives_clean_errors_on_both_chains_and_both_recover_when_it_returns()
    {
        var ct = Eventually.Within(180);
        await chain.StopAsync("processor-rest", ct);
        await chain.StopAsync("processor-grpc", ct);
        try
        {
            using var rest = await chain.Rest.GetAsync("/aggregate", ct);
            Assert.Equal(HttpStatusCode.BadGateway, rest.StatusCode);
            var problem = await rest.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Contains("processor-rest is unavailable", problem.GetProperty("detail").GetString());

            var deadline = DateTime.UtcNow.AddSeconds(20);
            var e = await Assert.ThrowsAsync<RpcException>(() =>
                chain.Grpc.AggregateAsync(new AggregateRequest(), deadline: deadline, cancellationToken: ct).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, e.StatusCode);
            Assert.Contains("processor-grpc is unavailable", e.Status.Detail);
        }
        finally
        {
            await chain.StartAsync("processor-rest", ct);
            await chain.StartAsync("processor-grpc", ct);
        }

        var expected = WorkTests.Expected(BatchSpec.Default);
        Assert.Equal(expected, await chain.Rest.GetFromJsonAsync("/aggregate", ChainJsonContext.Default.AggregateJson, ct));
        // The aggregator's shared stream to the processor broke; the first request after the restart re-opens it.
        var grpc = await chain.Grpc.AggregateAsync(new AggregateRequest(), cancellationToken: ct);
        Assert.Equal(expected.Sum, grpc.Sum);
    }
}
