using Grpc.Core;
using Protos;
using ServiceDefaults;
using ServiceDefaults.Hops;

namespace Processor;

/// <summary>GET /process?seed=&amp;size=: fetches the batch from the producer over REST and processes it.</summary>
public static class ProcessRest
{
    public static async Task<IResult> HandleAsync(string? seed, string? size, RestHop producer, HttpContext http)
    {
        if (!BatchSpec.TryParse(seed, size, out var spec, out var error)) return Transports.InvalidRequest(error);
        try
        {
            var batch = await producer.GetBatchAsync("/generate", spec, RequestBudget.Of(http));
            BatchProcessor.Process(batch.Records);
            return TypedResults.Ok(batch);
        }
        catch (HopFailedException e)
        {
            return Transports.DownstreamFailed(e);
        }
    }
}

/// <summary>ProcessorService.Process: a bidi stream of ProcessRequest → Batch, each fetched from the producer's bidi stream.</summary>
public sealed class ProcessorGrpc(DuplexPump pump, StreamHop<GenerateRequest, Batch> producer) : ProcessorService.ProcessorServiceBase
{
    public override Task Process(IAsyncStreamReader<ProcessRequest> requests, IServerStreamWriter<Batch> responses, ServerCallContext context) =>
        pump.ServeAsync(requests, responses, context, ProcessOneAsync, fault => new Batch { Fault = fault });

    private async ValueTask<Batch> ProcessOneAsync(ProcessRequest request, Incoming incoming)
    {
        var spec = BatchSpec.From(request);
        var batch = await producer.CallAsync(new GenerateRequest { Seed = spec.Seed, Size = spec.Size }, incoming);
        BatchProcessor.Process(batch.Records);
        return batch;
    }
}
