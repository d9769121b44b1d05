using Grpc.Core;
using Protos;
using Protos.Json;
using ServiceDefaults;
using ServiceDefaults.Hops;

namespace Aggregator;

/// <summary>GET /aggregate?seed=&amp;size=: the REST edge of the chain.</summary>
public static class AggregateRest
{
    public static async Task<IResult> HandleAsync(string? seed, string? size, RestHop processor, HttpContext http)
    {
        if (!BatchSpec.TryParse(seed, size, out var spec, out var error)) return Transports.InvalidRequest(error);
        try
        {
            var batch = await processor.GetBatchAsync("/process", spec, RequestBudget.Of(http));
            var aggregation = new Aggregation();
            foreach (var r in batch.Records) aggregation.Add(r.Value);
            return TypedResults.Ok(new AggregateJson(aggregation.Count, aggregation.Sum, aggregation.Mean, aggregation.Min, aggregation.Max));
        }
        catch (HopFailedException e)
        {
            return Transports.DownstreamFailed(e);
        }
    }
}

/// <summary>The gRPC edge: unary Aggregate (what the seed's ghz line calls) and its streaming twin, over the processor's bidi stream.</summary>
public sealed class AggregatorGrpc(DuplexPump pump, StreamHop<ProcessRequest, Batch> processor) : AggregatorService.AggregatorServiceBase
{
    public override Task<AggregateResponse> Aggregate(AggregateRequest request, ServerCallContext context) =>
        AggregateOneAsync(request, Incoming.Of(context)).AsTask();

    public override Task AggregateStream(IAsyncStreamReader<AggregateRequest> requests, IServerStreamWriter<AggregateResponse> responses, ServerCallContext context) =>
        pump.ServeAsync(requests, responses, context, AggregateOneAsync, fault => new AggregateResponse { Fault = fault });

    private async ValueTask<AggregateResponse> AggregateOneAsync(AggregateRequest request, Incoming incoming)
    {
        var spec = BatchSpec.From(request);
        var batch = await processor.CallAsync(new ProcessRequest { Seed = spec.Seed, Size = spec.Size }, incoming);
        var aggregation = new Aggregation();
        foreach (var r in batch.Records) aggregation.Add(r.Value);
        return new AggregateResponse { Count = aggregation.Count, Sum = aggregation.Sum, Mean = aggregation.Mean, Min = aggregation.Min, Max = aggregation.Max };
    }
}
