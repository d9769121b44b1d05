using Grpc.Core;
using Protos;
using ServiceDefaults;
using ServiceDefaults.Hops;

namespace Producer;

/// <summary>ProducerService.Generate: a bidi stream of GenerateRequest → Batch; GenerateBatched the same, several per message.</summary>
public sealed class ProducerGrpc(DuplexPump pump, InjectedDelay delay) : ProducerService.ProducerServiceBase
{
    public override Task Generate(IAsyncStreamReader<GenerateRequest> requests, IServerStreamWriter<Batch> responses, ServerCallContext context) =>
        pump.ServeAsync(requests, responses, context, GenerateAsync, fault => new Batch { Fault = fault });

    public override Task GenerateBatched(IAsyncStreamReader<GenerateRequests> requests, IServerStreamWriter<Batches> responses, ServerCallContext context) =>
        pump.ServeBatchedAsync(requests, responses, context, packed => packed.Requests, Envelopes.Pack, GenerateAsync, fault => new Batch { Fault = fault });

    private async ValueTask<Batch> GenerateAsync(GenerateRequest request, Incoming incoming)
    {
        await delay.WaitAsync(incoming.Cancelled);
        return Generate(request);
    }

    public static Batch Generate(GenerateRequest request)
    {
        var batch = new Batch();
        foreach (var r in new BatchGenerator(BatchSpec.From(request)))
        {
            batch.Records.Add(new Record { Id = r.Id, Value = r.Value, Category = r.Category });
        }
        return batch;
    }
}
