using AppHost;
using Protos.Control;

var builder = DistributedApplication.CreateBuilder(args);

// The REST chain: Producer → Processor → Aggregator over HTTP/1.1 + JSON (the seed's ports).
var producerRest = builder.AddRole<Projects.Producer>("producer-rest", Transport.Rest, 8000).WithDelayCommand();
var processorRest = builder.AddRole<Projects.Processor>("processor-rest", Transport.Rest, 8001).CallingDownstream(producerRest);
var aggregatorRest = builder.AddRole<Projects.Aggregator>("aggregator-rest", Transport.Rest, 8002).CallingDownstream(processorRest);

// The gRPC chain: the same roles over HTTP/2 + protobuf, bidi streams between them (the seed's ports).
var producerGrpc = builder.AddRole<Projects.Producer>("producer-grpc", Transport.Grpc, 50051, httpPort: 8051).WithDelayCommand();
var processorGrpc = builder.AddRole<Projects.Processor>("processor-grpc", Transport.Grpc, 50052, httpPort: 8052).CallingDownstream(producerGrpc);
var aggregatorGrpc = builder.AddRole<Projects.Aggregator>("aggregator-grpc", Transport.Grpc, 50053, httpPort: 8053).CallingDownstream(processorGrpc);

// The load generator, and the dashboard commands that measure the chains through it.
var loadgen = builder.AddLoadGenerator(aggregatorRest, aggregatorGrpc,
    producerRest, processorRest, aggregatorRest, producerGrpc, processorGrpc, aggregatorGrpc);
aggregatorRest.WithLoadCommand(loadgen, RunKind.Rest, "Load REST", "Load the REST chain alone and measure it");
aggregatorGrpc.WithLoadCommand(loadgen, RunKind.Grpc, "Load gRPC", "Load the gRPC chain alone (unary edge, shared streams) and measure it");

builder.Build().Run();
