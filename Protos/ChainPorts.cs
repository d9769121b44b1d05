namespace Protos;

/// <summary>
/// Where the AppHost puts each service, unless <c>--Ports:name=port</c> says otherwise: the original's ports, so its
/// commands still work, and the load generator's CLI finds the chains there. A gRPC service answers HTTP/1.1 (health,
/// <c>/stats</c>) on a port of its own; a REST service answers HTTP/2 with prior knowledge (h2c) on one of its own.
/// </summary>
public static class ChainPorts
{
    public const int ProducerRest = 8000;
    public const int ProcessorRest = 8001;
    public const int AggregatorRest = 8002;

    public const int ProducerRestH2c = 8100;
    public const int ProcessorRestH2c = 8101;
    public const int AggregatorRestH2c = 8102;

    public const int ProducerGrpc = 50051;
    public const int ProcessorGrpc = 50052;
    public const int AggregatorGrpc = 50053;

    public const int ProducerGrpcHttp = 8051;
    public const int ProcessorGrpcHttp = 8052;
    public const int AggregatorGrpcHttp = 8053;
}
