using System.IO.Pipelines;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Protos;
using Protos.Json;

namespace ServiceDefaults.Rest;

/// <summary>How a REST body is encoded: JSON (the default), or protobuf when the request's <c>Accept</c> asks for it.</summary>
/// <remarks>Reports spell it as the command line does: <c>json</c>, <c>protobuf</c>.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<RestEncoding>))]
public enum RestEncoding
{
    [JsonStringEnumMemberName(RestEncodings.JsonValue)] Json,
    [JsonStringEnumMemberName(RestEncodings.ProtobufValue)] Protobuf,
}

/// <summary>
/// All that differs between the two encodings, in one place: which one a request asks for, and how a body is written
/// and read. Protobuf bodies are the messages of services.proto (<c>Batch</c>, <c>AggregateResponse</c>), JSON bodies
/// their twins in <see cref="Protos.Json"/>; a role's handler does the same work whichever it is.
/// </summary>
public static class RestEncodings
{
    public const string JsonValue = "json";
    public const string ProtobufValue = "protobuf";
    public const string ProtobufMediaType = "application/x-protobuf";

    /// <summary>The encoding a request asks for: protobuf if its <c>Accept</c> names it, else JSON.</summary>
    public static RestEncoding Of(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept is not null && accept.Contains(ProtobufMediaType, StringComparison.OrdinalIgnoreCase)) return RestEncoding.Protobuf;
        }
        return RestEncoding.Json;
    }

    /// <summary>Asks a REST service for <paramref name="encoding"/>; JSON, its default, needs no header (as before protobuf was offered).</summary>
    public static void Ask(this RestEncoding encoding, HttpRequestMessage request)
    {
        if (encoding is RestEncoding.Protobuf) request.Headers.TryAddWithoutValidation("Accept", ProtobufMediaType);
    }

    public static bool TryParse(string? value, out RestEncoding encoding)
    {
        encoding = value == ProtobufValue ? RestEncoding.Protobuf : RestEncoding.Json;
        return value is JsonValue or ProtobufValue;
    }

    /// <summary>Its name in reports and messages: "JSON", "protobuf".</summary>
    public static string Describe(this RestEncoding encoding) => encoding is RestEncoding.Protobuf ? "protobuf" : "JSON";

    /// <summary>The aggregator's answer in <paramref name="encoding"/>.</summary>
    public static IResult Aggregate(this RestEncoding encoding, int count, double sum, double mean, double min, double max) =>
        encoding is RestEncoding.Protobuf
            ? new ProtobufResult(new AggregateResponse { Count = count, Sum = sum, Mean = mean, Min = min, Max = max })
            : TypedResults.Ok(new AggregateJson(count, sum, mean, min, max));

    /// <summary>Reads a batch in <paramref name="encoding"/>; see <see cref="ReadAsync{TJson,TMessage}"/> for what is refused.</summary>
    public static async Task<RestBatch> ReadBatchAsync(this RestEncoding encoding, HttpContent content, CancellationToken ct) =>
        encoding is RestEncoding.Protobuf
            ? new RestBatch(await ReadMessageAsync(content, Batch.Parser, ct))
            : new RestBatch(await ReadJsonAsync(content, ChainJsonContext.Default.BatchJson, ct));

    /// <summary>Reads an aggregate in <paramref name="encoding"/>, as its JSON twin whichever it came in (a client's check, not a hop).</summary>
    public static async Task<AggregateJson> ReadAggregateAsync(this RestEncoding encoding, HttpContent content, CancellationToken ct)
    {
        if (encoding is RestEncoding.Json) return await ReadJsonAsync(content, ChainJsonContext.Default.AggregateJson, ct);
        var a = await ReadMessageAsync(content, AggregateResponse.Parser, ct);
        return new AggregateJson(a.Count, a.Sum, a.Mean, a.Min, a.Max);
    }

    /// <summary>A JSON body; malformed or empty is an <see cref="InvalidDataException"/> saying so.</summary>
    private static async Task<T> ReadJsonAsync<T>(HttpContent content, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        try
        {
            return await content.ReadFromJsonAsync(type, ct) ?? throw new InvalidDataException("an empty body");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"malformed JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// A protobuf body, parsed once it is all in (from pooled segments: no array the size of the body, however big the
    /// batch); one of another content type, or malformed, is an <see cref="InvalidDataException"/> saying so.
    /// </summary>
    private static async Task<T> ReadMessageAsync<T>(HttpContent content, MessageParser<T> parser, CancellationToken ct) where T : IMessage<T>
    {
        if (content.Headers.ContentType?.MediaType is var type && !string.Equals(type, ProtobufMediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{type ?? "no content type"} where {ProtobufMediaType} was asked for");
        }
        var body = PipeReader.Create(await content.ReadAsStreamAsync(ct));
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(ct);
                if (read.IsCompleted) return parser.ParseFrom(read.Buffer);
                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"malformed protobuf: {e.Message}", e);
        }
        finally
        {
            await body.CompleteAsync();
        }
    }
}
