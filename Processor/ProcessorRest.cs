using Protos;
using ServiceDefaults;
using ServiceDefaults.Hops;

namespace Processor;

/// <summary>GET /process?seed=&amp;size=: fetches the batch from the producer over REST and processes it, in the encoding asked for.</summary>
public static class ProcessorRest
{
    public static async Task<IResult> HandleAsync(string? seed, string? size, RestHop producer, HttpContext http)
    {
        if (!BatchSpec.TryParse(seed, size, out var spec, out var error)) return RestProblems.InvalidRequest(error);
        try
        {
            var batch = await producer.GetBatchAsync("/generate", spec, http);
            BatchProcessor.Process(batch.Records);
            return batch;
        }
        catch (HopFailedException e)
        {
            return RestProblems.DownstreamFailed(e);
        }
    }
}
