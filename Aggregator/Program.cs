using Aggregator;
using Protos;
using ServiceDefaults;
using ServiceDefaults.Hops;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var chain = builder.AddChainTransport();
if (chain.Transport is ChainTransport.Rest) builder.AddRestHop();
else builder.AddStreamHop<ProcessorService.ProcessorServiceClient, ProcessRequest, Batch>((client, call) => client.Process(call),
    (client, call, maxBatch) => OpenedStream<ProcessRequest, Batch>.Batched(client.ProcessBatched(call), Envelopes.Pack, batches => batches.Batches_, maxBatch));

var app = builder.Build();
app.MapDefaultEndpoints();
if (chain.Transport is ChainTransport.Rest) app.MapChainGet("/aggregate", AggregatorRest.HandleAsync);
else app.MapChainGrpc<AggregatorGrpc>();
app.MapCeiling();
app.Run();
