using System.Text.Json.Serialization;

namespace LoadGenerator;

/// <summary>The HTTP version a REST run goes over: HTTP/1.1 (the original's), or HTTP/2 with prior knowledge (h2c) on one connection.</summary>
/// <remarks>Reports spell it as the command line does: <c>1.1</c>, <c>2</c>.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<RestHttpVersion>))]
public enum RestHttpVersion
{
    [JsonStringEnumMemberName(RestHttpVersions.Http11Value)] Http11,
    [JsonStringEnumMemberName(RestHttpVersions.Http2Value)] Http2,
}

public static class RestHttpVersions
{
    public const string Http11Value = "1.1";
    public const string Http2Value = "2";

    public static bool TryParse(string? value, out RestHttpVersion version)
    {
        version = value == Http2Value ? RestHttpVersion.Http2 : RestHttpVersion.Http11;
        return value is Http11Value or Http2Value;
    }

    /// <summary>Its name in reports: "HTTP/1.1", "HTTP/2".</summary>
    public static string Describe(this RestHttpVersion version) => version is RestHttpVersion.Http2 ? "HTTP/2" : "HTTP/1.1";

    /// <summary>What HttpClient sends.</summary>
    public static Version ToVersion(this RestHttpVersion version) => version is RestHttpVersion.Http2 ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11;
}
