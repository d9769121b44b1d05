using Benchmarks.Tests.Fakes;
using Grpc.Core;
using Protos;
using Record = Protos.Record;

namespace Benchmarks.Tests.Hops;

/// <summary>
/// A producer at the far end of a hop's bidi streams, in memory: it opens a stream per call of <see cref="Open"/>,
/// answers each request as <see cref="Answer"/> says (by default at once, with a batch naming its seed), and can be
/// made to break its latest stream.
/// </summary>
public sealed class FakeDownstream
{
    private readonly List<StreamPipe<Batch>> answerStreams = [];
    private int received;

    public Func<GenerateRequest, Task<Batch>> Answer { get; set; } = request => Task.FromResult(BatchFor(request.Seed));

    public int Opened { get { lock (answerStreams) return answerStreams.Count; } }

    public int Received => Volatile.Read(ref received);

    /// <summary>What a hop is given to open its streams with.</summary>
    public AsyncDuplexStreamingCall<GenerateRequest, Batch> Open(CallOptions options)
    {
        var requests = new StreamPipe<GenerateRequest>();
        var answers = new StreamPipe<Batch>();
        lock (answerStreams) answerStreams.Add(answers);
        _ = ServeAsync(requests, answers);
        return new AsyncDuplexStreamingCall<GenerateRequest, Batch>(requests, answers,
            Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => requests.CompleteAsync());
    }

    /// <summary>The latest stream fails as a lost connection would: its reader gets <paramref name="why"/>.</summary>
    public void BreakLatest(RpcException why)
    {
        lock (answerStreams) answerStreams[^1].Break(why);
    }

    /// <summary>A batch of one record whose id is the seed asked for, so each caller can tell its answer.</summary>
    public static Batch BatchFor(long seed) => new() { Records = { new Record { Id = (int)seed } } };

    private async Task ServeAsync(StreamPipe<GenerateRequest> requests, StreamPipe<Batch> answers)
    {
        while (await requests.MoveNext(CancellationToken.None))
        {
            Interlocked.Increment(ref received);
            _ = AnswerAsync(requests.Current, answers);
        }
    }

    private async Task AnswerAsync(GenerateRequest request, StreamPipe<Batch> answers)
    {
        var batch = await Answer(request);
        batch.CorrelationId = request.CorrelationId;
        await answers.WriteAsync(batch);
    }
}
