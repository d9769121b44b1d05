using System.Text.Json;
using System.Text.Json.Serialization;

namespace Protos.Json;

/// <summary>The REST twin of the protobuf <c>Record</c>.</summary>
public sealed class RecordJson : IChainRecord
{
    public int Id { get; set; }
    public double Value { get; set; }
    public string Category { get; set; } = "";
    public bool Processed { get; set; }
}

/// <summary>The REST twin of the protobuf <c>Batch</c>.</summary>
public sealed class BatchJson
{
    public RecordJson[] Records { get; set; } = [];
}

/// <summary>The REST twin of <c>AggregateResponse</c>.</summary>
public sealed record AggregateJson(int Count, double Sum, double Mean, double Min, double Max);

// Source-generated: no reflection on the hot path, and trimming-safe.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BatchJson))]
[JsonSerializable(typeof(AggregateJson))]
public partial class ChainJsonContext : JsonSerializerContext;
