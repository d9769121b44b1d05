using Microsoft.AspNetCore.Http;
using Protos;
using Protos.Json;

namespace ServiceDefaults.Rest;

/// <summary>
/// A batch as a REST role holds it: in the shape of the encoding it travels in (protobuf's <see cref="Batch"/> or JSON's
/// <see cref="BatchJson"/>), its records seen the same either way, and answered in that encoding.
/// </summary>
public sealed class RestBatch : IResult
{
    private readonly BatchJson? json;
    private readonly Batch? protobuf;
    private int added;

    public RestBatch(BatchJson json) => (this.json, Records) = (json, json.Records);

    public RestBatch(Batch protobuf) => (this.protobuf, Records) = (protobuf, protobuf.Records);

    public IReadOnlyList<IChainRecord> Records { get; }

    /// <summary>An empty batch in <paramref name="encoding"/> with room for <paramref name="size"/> records, which <see cref="Add"/> fills.</summary>
    public static RestBatch Create(RestEncoding encoding, int size) => encoding is RestEncoding.Protobuf
        ? new RestBatch(new Batch { Records = { Capacity = size } })
        : new RestBatch(new BatchJson { Records = new RecordJson[size] });

    public void Add(int id, double value, string category)
    {
        if (protobuf is not null) protobuf.Records.Add(new Record { Id = id, Value = value, Category = category });
        else json!.Records[added++] = new RecordJson { Id = id, Value = value, Category = category };
    }

    public Task ExecuteAsync(HttpContext http) =>
        protobuf is not null ? new ProtobufResult(protobuf).ExecuteAsync(http) : TypedResults.Ok(json).ExecuteAsync(http);
}
