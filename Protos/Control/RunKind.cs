using System.Text.Json.Serialization;

namespace Protos.Control;

/// <summary>What a run measures: the whole comparison, or one chain's row alone.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunKind>))]
public enum RunKind
{
    [JsonStringEnumMemberName("compare")] Compare,
    [JsonStringEnumMemberName("rest")] Rest,
    [JsonStringEnumMemberName("grpc")] Grpc,
}

public static class RunKinds
{
    /// <summary>A kind as the wire spells it, and so the dashboard's command names and messages: compare, rest, grpc.</summary>
    public static string Name(this RunKind kind) => kind.ToString().ToLowerInvariant();
}
