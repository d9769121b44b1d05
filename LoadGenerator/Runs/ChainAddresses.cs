using Protos;

namespace LoadGenerator.Runs;

/// <summary>Where the two chains are: their edges (the REST edge on HTTP/1.1 and on HTTP/2), and every service's <c>/stats</c>.</summary>
/// <param name="RestH2c">The REST edge's <c>/aggregate</c> on its HTTP/2 (prior knowledge) endpoint.</param>
public sealed record ChainAddresses(Uri Rest, Uri RestH2c, Uri Grpc, IReadOnlyDictionary<string, Uri> Stats)
{
    /// <summary>The AppHost's fixed ports on this machine.</summary>
    public static ChainAddresses Local(string host = "localhost") => new(
        new Uri($"http://{host}:{ChainPorts.AggregatorRest}/aggregate"),
        new Uri($"http://{host}:{ChainPorts.AggregatorRestH2c}/aggregate"),
        new Uri($"http://{host}:{ChainPorts.AggregatorGrpc}"),
        new Dictionary<string, Uri>
        {
            ["aggregator-rest"] = new($"http://{host}:{ChainPorts.AggregatorRest}"),
            ["processor-rest"] = new($"http://{host}:{ChainPorts.ProcessorRest}"),
            ["producer-rest"] = new($"http://{host}:{ChainPorts.ProducerRest}"),
            ["aggregator-grpc"] = new($"http://{host}:{ChainPorts.AggregatorGrpcHttp}"),
            ["processor-grpc"] = new($"http://{host}:{ChainPorts.ProcessorGrpcHttp}"),
            ["producer-grpc"] = new($"http://{host}:{ChainPorts.ProducerGrpcHttp}"),
        });
}
