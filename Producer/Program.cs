using Producer;
using ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var chain = builder.AddChainTransport();

var app = builder.Build();
app.MapDefaultEndpoints();
if (chain.Transport is ChainTransport.Rest) app.MapChainGet("/generate", GenerateRest.Handle);
else app.MapChainGrpc<ProducerGrpc>();
app.Run();
