using System.Text.Json;
using System.Text.Json.Serialization;
using Protos;

namespace LoadGenerator.Runs;

/// <summary>Where the two chains are: their edges (the REST edge on HTTP/1.1 and on HTTP/2), and every service's <c>/stats</c>.</summary>
/// <param name="RestH2c">The REST edge's <c>/aggregate</c> on its HTTP/2 (prior knowledge) endpoint.</param>
/// <param name="Stats">Each service's <c>/stats</c> address, one per replica of a service run as several.</param>
public sealed record ChainAddresses(Uri Rest, Uri RestH2c, Uri Grpc, IReadOnlyDictionary<string, IReadOnlyList<Uri>> Stats)
{
    /// <summary>The AppHost's fixed ports on this machine.</summary>
    public static ChainAddresses Local(string host = "localhost") => new(
        new Uri($"http://{host}:{ChainPorts.AggregatorRest}/aggregate"),
        new Uri($"http://{host}:{ChainPorts.AggregatorRestH2c}/aggregate"),
        new Uri($"http://{host}:{ChainPorts.AggregatorGrpc}"),
        new Dictionary<string, IReadOnlyList<Uri>>
        {
            ["aggregator-rest"] = [new($"http://{host}:{ChainPorts.AggregatorRest}")],
            ["processor-rest"] = [new($"http://{host}:{ChainPorts.ProcessorRest}")],
            ["producer-rest"] = [new($"http://{host}:{ChainPorts.ProducerRest}")],
            ["aggregator-grpc"] = [new($"http://{host}:{ChainPorts.AggregatorGrpcHttp}")],
            ["processor-grpc"] = [new($"http://{host}:{ChainPorts.ProcessorGrpcHttp}")],
            ["producer-grpc"] = [new($"http://{host}:{ChainPorts.ProducerGrpcHttp}")],
        });

    /// <summary>
    /// The chains as a file says, for services that are not all on this machine's fixed ports, e.g. one host each
    /// (<c>scripts/multihost.sh</c> writes one): <c>{"rest": "http://10.0.0.3:8002/aggregate", "restH2c": "…/aggregate",
    /// "grpc": "http://10.0.0.6:50053", "stats": {"aggregator-rest": "http://10.0.0.3:8002", …every service…}}</c>. A service
    /// run as several replicas lists them all: <c>"processor-rest": ["http://10.0.0.4:8001", "http://10.0.0.9:8001"]</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">The file can't be read as that, saying what is wrong.</exception>
    public static ChainAddresses Read(string path)
    {
        ChainAddresses? read;
        try
        {
            read = JsonSerializer.Deserialize(File.ReadAllText(path), AddressesJsonContext.Default.ChainAddresses);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        var problems = new List<string>();
        void Check(string name, Uri? address)
        {
            if (address is not { IsAbsoluteUri: true, Scheme: "http" }) problems.Add($"{name} must be an http:// address, got '{address}'");
        }
        Check("rest", read?.Rest);
        Check("restH2c", read?.RestH2c);
        Check("grpc", read?.Grpc);
        var stats = read?.Stats ?? new Dictionary<string, IReadOnlyList<Uri>>();
        foreach (var service in Local().Stats.Keys)
        {
            if (stats.TryGetValue(service, out var replicas) && replicas.Count > 0) foreach (var address in replicas) Check($"stats.{service}", address);
            else problems.Add($"stats must name {service}");
        }
        return problems.Count == 0 ? read! : throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(OneOrMoreAddresses)])]
[JsonSerializable(typeof(ChainAddresses))]
internal sealed partial class AddressesJsonContext : JsonSerializerContext;

/// <summary>A service's <c>/stats</c>: one address, or an array of them, one per replica.</summary>
internal sealed class OneOrMoreAddresses : JsonConverter<IReadOnlyList<Uri>>
{
    public override IReadOnlyList<Uri> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) return [Address(ref reader)];
        var addresses = new List<Uri>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) addresses.Add(Address(ref reader));
        return addresses;
    }

    private static Uri Address(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && Uri.TryCreate(reader.GetString(), UriKind.RelativeOrAbsolute, out var address)
            ? address
            : throw new JsonException($"an address must be a string, got {reader.TokenType}");

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<Uri> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var address in value) writer.WriteStringValue(address.ToString());
        writer.WriteEndArray();
    }
}
