using Protos;
using ServiceDefaults;
using ServiceDefaults.Hops;
using ServiceDefaults.Rest;

namespace Aggregator;

/// <summary>GET /aggregate?seed=&amp;size=: the REST edge of the chain, answered in the encoding asked for.</summary>
public static class AggregatorRest
{
    public static async Task<IResult> HandleAsync(string? seed, string? size, RestHop processor, HttpContext http)
    {
        if (!BatchSpec.TryParse(seed, size, out var spec, out var error)) return RestProblems.InvalidRequest(error);
        try
        {
            var batch = await processor.GetBatchAsync("/process", spec, http);
            var aggregation = new Aggregation();
            for (var i = 0; i < batch.Records.Count; i++) aggregation.Add(batch.Records[i].Value);
            return RestEncodings.Of(http.Request).Aggregate(aggregation.Count, aggregation.Sum, aggregation.Mean, aggregation.Min, aggregation.Max);
        }
        catch (HopFailedException e)
        {
            return RestProblems.DownstreamFailed(e);
        }
    }
}
