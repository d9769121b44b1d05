using Producer;
using ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var chain = builder.AddChainTransport();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapInjectedDelay();
if (chain.Transport is ChainTransport.Rest) app.MapChainGet("/generate", ProducerRest.HandleAsync);
else app.MapChainGrpc<ProducerGrpc>();
app.MapCeiling();
app.Run();
