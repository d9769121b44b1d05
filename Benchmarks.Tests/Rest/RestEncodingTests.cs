using System.Net;
using Google.Protobuf;
using LoadGenerator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Protos;
using ServiceDefaults.Rest;
using Record = Protos.Record;

namespace Benchmarks.Tests.Rest;

/// <summary>The two REST encodings: which one a request asks for, and a batch written by a real Kestrel and read back in each.</summary>
public class RestEncodingTests
{
    [Theory]
    [InlineData(null, RestEncoding.Json)]
    [InlineData("application/json", RestEncoding.Json)]
    [InlineData("*/*", RestEncoding.Json)]
    [InlineData("text/html", RestEncoding.Json)]
    [InlineData("application/x-protobuf", RestEncoding.Protobuf)]
    [InlineData("Application/X-Protobuf", RestEncoding.Protobuf)]
    [InlineData("application/json;q=0.5, application/x-protobuf", RestEncoding.Protobuf)]
    public void Accept_naming_protobuf_asks_for_it_and_anything_else_is_json(string? accept, RestEncoding expected)
    {
        var http = new DefaultHttpContext();
        if (accept is not null) http.Request.Headers.Accept = accept;
        Assert.Equal(expected, RestEncodings.Of(http.Request));
    }

    [Theory]
    [InlineData(RestEncoding.Json)]
    [InlineData(RestEncoding.Protobuf)]
    public async Task A_batch_written_in_either_encoding_reads_back_the_same(RestEncoding encoding)
    {
        (int Id, double Value, string Category)[] records = [(1, 0.1, "alpha"), (2, 99.99999999999999, "beta"), (3, 1.0 / 3, "gamma")];
        await using var service = await RestService.StartAsync("batch", null, app => app.MapGet("/batch", (HttpContext http) =>
        {
            var batch = RestBatch.Create(RestEncodings.Of(http.Request), records.Length);
            foreach (var (id, value, category) in records) batch.Add(id, value, category);
            return batch;
        }));
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service.Endpoint(RestHttpVersion.Http11), "/batch"));
        encoding.Ask(request);

        using var http = new HttpClient();
        using var response = await http.SendAsync(request, Eventually.Within(30));
        var read = await encoding.ReadBatchAsync(response.Content, Eventually.Within(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(records, read.Records.Select(r => (r.Id, r.Value, r.Category)));
        Assert.All(read.Records, r => Assert.False(r.Processed));
        if (encoding is RestEncoding.Protobuf)
        {
            // services.proto's own Batch, its length said up front.
            var expected = new Batch { Records = { records.Select(r => new Record { Id = r.Id, Value = r.Value, Category = r.Category }) } };
            Assert.Equal(RestEncodings.ProtobufMediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(expected.CalculateSize(), response.Content.Headers.ContentLength);
            Assert.Equal(expected.ToByteArray(), await response.Content.ReadAsByteArrayAsync());
        }
    }
}
