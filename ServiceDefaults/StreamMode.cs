using System.Text.Json.Serialization;
using Grpc.Core;

namespace ServiceDefaults;

/// <summary>How a bidi hop is used: a new stream per request, a few long-lived streams shared by all requests, or those packing several requests per message.</summary>
/// <remarks>Reports spell it as the header does, so a report's <c>streamMode</c> reads like the call that made it.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<StreamMode>))]
public enum StreamMode
{
    [JsonStringEnumMemberName(StreamModes.SharedValue)] Shared,
    [JsonStringEnumMemberName(StreamModes.PerRequestValue)] PerRequest,
    [JsonStringEnumMemberName(StreamModes.BatchedValue)] Batched,
}

/// <summary>
/// The <c>chain-stream-mode</c> header: how a gRPC call asks the chain to use its bidi hops (each hop passes it on),
/// whatever <c>Chain:StreamMode</c> says.
/// </summary>
public static class StreamModes
{
    public const string Header = "chain-stream-mode";
    public const string SharedValue = "shared";
    public const string PerRequestValue = "per-request";
    public const string BatchedValue = "batched";

    /// <summary>The values the header takes, as a message names them.</summary>
    public const string Choices = $"'{SharedValue}', '{PerRequestValue}' or '{BatchedValue}'";

    public static string ToHeaderValue(StreamMode mode) => mode switch
    {
        StreamMode.PerRequest => PerRequestValue,
        StreamMode.Batched => BatchedValue,
        _ => SharedValue,
    };

    public static bool TryParse(string? value, out StreamMode mode)
    {
        mode = value switch
        {
            PerRequestValue => StreamMode.PerRequest,
            BatchedValue => StreamMode.Batched,
            _ => StreamMode.Shared,
        };
        return value is SharedValue or PerRequestValue or BatchedValue;
    }

    /// <summary>Call headers asking for <paramref name="mode"/>.</summary>
    public static Metadata Headers(StreamMode mode) => new() { { Header, ToHeaderValue(mode) } };
}
