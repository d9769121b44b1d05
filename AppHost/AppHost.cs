using AppHost;
using Protos;
using Protos.Control;

var builder = DistributedApplication.CreateBuilder(args);

// The REST chain: Producer → Processor → Aggregator over HTTP/1.1 + JSON (the original's ports), or per request over
// HTTP/2 (h2c, ports + 100) and in protobuf (Accept: application/x-protobuf).
var producerRest = builder.AddRole<Projects.Producer>("producer-rest", Transport.Rest, ChainPorts.ProducerRest, h2cPort: ChainPorts.ProducerRestH2c).WithDelayCommand();
var processorRest = builder.AddRole<Projects.Processor>("processor-rest", Transport.Rest, ChainPorts.ProcessorRest, h2cPort: ChainPorts.ProcessorRestH2c).CallingDownstream(producerRest);
var aggregatorRest = builder.AddRole<Projects.Aggregator>("aggregator-rest", Transport.Rest, ChainPorts.AggregatorRest, h2cPort: ChainPorts.AggregatorRestH2c).CallingDownstream(processorRest)
    .Fronting(processorRest, producerRest);

// The gRPC chain: the same roles over HTTP/2 + protobuf, bidi streams between them (the original's ports).
var producerGrpc = builder.AddRole<Projects.Producer>("producer-grpc", Transport.Grpc, ChainPorts.ProducerGrpc, httpPort: ChainPorts.ProducerGrpcHttp).WithDelayCommand();
var processorGrpc = builder.AddRole<Projects.Processor>("processor-grpc", Transport.Grpc, ChainPorts.ProcessorGrpc, httpPort: ChainPorts.ProcessorGrpcHttp).CallingDownstream(producerGrpc);
var aggregatorGrpc = builder.AddRole<Projects.Aggregator>("aggregator-grpc", Transport.Grpc, ChainPorts.AggregatorGrpc, httpPort: ChainPorts.AggregatorGrpcHttp).CallingDownstream(processorGrpc)
    .Fronting(processorGrpc, producerGrpc);

// The load generator, and the dashboard commands that measure the chains through it.
var loadgen = builder.AddLoadGenerator(aggregatorRest, aggregatorGrpc,
    producerRest, processorRest, aggregatorRest, producerGrpc, processorGrpc, aggregatorGrpc);
aggregatorRest.WithLoadCommand(loadgen, RunKind.Rest, "Load REST", "Load the REST chain alone and measure it");
aggregatorGrpc.WithLoadCommand(loadgen, RunKind.Grpc, "Load gRPC", "Load the gRPC chain alone (unary edge, shared streams) and measure it");

builder.Build().Run();
