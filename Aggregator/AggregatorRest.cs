using Protos;
using Protos.Json;
using ServiceDefaults;
using ServiceDefaults.Hops;

namespace Aggregator;

/// <summary>GET /aggregate?seed=&amp;size=: the REST edge of the chain.</summary>
public static class AggregatorRest
{
    public static async Task<IResult> HandleAsync(string? seed, string? size, RestHop processor, HttpContext http)
    {
        if (!BatchSpec.TryParse(seed, size, out var spec, out var error)) return RestProblems.InvalidRequest(error);
        try
        {
            var batch = await processor.GetBatchAsync("/process", spec, RequestBudget.Of(http));
            var aggregation = new Aggregation();
            foreach (var r in batch.Records) aggregation.Add(r.Value);
            return TypedResults.Ok(new AggregateJson(aggregation.Count, aggregation.Sum, aggregation.Mean, aggregation.Min, aggregation.Max));
        }
        catch (HopFailedException e)
        {
            return RestProblems.DownstreamFailed(e);
        }
    }
}
