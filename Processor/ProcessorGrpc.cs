using Grpc.Core;
using Protos;
using ServiceDefaults.Hops;

namespace Processor;

/// <summary>ProcessorService.Process: a bidi stream of ProcessRequest → Batch, each fetched from the producer's bidi stream; ProcessBatched the same, several per message.</summary>
public sealed class ProcessorGrpc(DuplexPump pump, StreamHop<GenerateRequest, Batch> producer) : ProcessorService.ProcessorServiceBase
{
    public override Task Process(IAsyncStreamReader<ProcessRequest> requests, IServerStreamWriter<Batch> responses, ServerCallContext context) =>
        pump.ServeAsync(requests, responses, context, ProcessOneAsync, fault => new Batch { Fault = fault });

    public override Task ProcessBatched(IAsyncStreamReader<ProcessRequests> requests, IServerStreamWriter<Batches> responses, ServerCallContext context) =>
        pump.ServeBatchedAsync(requests, responses, context, packed => packed.Requests, Envelopes.Pack, ProcessOneAsync, fault => new Batch { Fault = fault });

    private async ValueTask<Batch> ProcessOneAsync(ProcessRequest request, Incoming incoming)
    {
        var spec = BatchSpec.From(request);
        var batch = await producer.CallAsync(new GenerateRequest { Seed = spec.Seed, Size = spec.Size }, incoming);
        BatchProcessor.Process(batch.Records);
        return batch;
    }
}
