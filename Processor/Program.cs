using Processor;
using Protos;
using ServiceDefaults;
using ServiceDefaults.Hops;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var chain = builder.AddChainTransport();
if (chain.Transport is ChainTransport.Rest) builder.AddRestHop();
else builder.AddStreamHop<ProducerService.ProducerServiceClient, GenerateRequest, Batch>((client, call) => client.Generate(call),
    (client, call, maxBatch) => OpenedStream<GenerateRequest, Batch>.Batched(client.GenerateBatched(call), Envelopes.Pack, batches => batches.Batches_, maxBatch));

var app = builder.Build();
app.MapDefaultEndpoints();
if (chain.Transport is ChainTransport.Rest) app.MapChainGet("/process", ProcessorRest.HandleAsync);
else app.MapChainGrpc<ProcessorGrpc>();
app.MapCeiling();
app.Run();
