using Grpc.Core;
using Protos;
using ServiceDefaults.Hops;

namespace Aggregator;

/// <summary>The gRPC edge: unary Aggregate (what the original's ghz line calls) and its streaming twin, over the processor's bidi stream.</summary>
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
