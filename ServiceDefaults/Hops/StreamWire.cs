using System.Threading.Channels;
using Grpc.Core;

namespace ServiceDefaults.Hops;

/// <summary>
/// How requests and answers travel on a shared bidi stream: one per stream message, or several packed in one (a
/// batched stream's envelope). Each end writes what it has waiting, up to <see cref="MaxBatch"/> in a message.
/// </summary>
public abstract class StreamWire<TIn, TOut>
{
    /// <summary>The most items a message carries: 1 for a plain stream.</summary>
    public abstract int MaxBatch { get; }

    /// <summary>Writes what waits in <paramref name="outbox"/> until it completes: all that waits, up to <see cref="MaxBatch"/>, in each message.</summary>
    public async Task WriteAllAsync(ChannelReader<TOut> outbox, CancellationToken ct)
    {
        var batch = new List<TOut>(MaxBatch);
        while (await outbox.WaitToReadAsync(ct))
        {
            while (batch.Count < MaxBatch && outbox.TryRead(out var item)) batch.Add(item);
            await WriteAsync(batch, ct);
            ChainMetrics.MessageOut();
            batch.Clear();
        }
    }

    /// <summary>Reads the stream to its end, handing each item of each message to <paramref name="take"/>.</summary>
    public async Task ReadAllAsync(Func<TIn, ValueTask> take, CancellationToken ct)
    {
        while (await ReadAsync(take, ct)) ChainMetrics.MessageIn();
    }

    /// <summary>Writes <paramref name="items"/> (at most <see cref="MaxBatch"/>) as one stream message.</summary>
    protected abstract Task WriteAsync(IReadOnlyList<TOut> items, CancellationToken ct);

    /// <summary>Reads the next stream message and hands each item in it to <paramref name="take"/>; false at the stream's end.</summary>
    protected abstract Task<bool> ReadAsync(Func<TIn, ValueTask> take, CancellationToken ct);

    /// <summary>One item per message, as a plain stream carries them.</summary>
    public static StreamWire<TIn, TOut> Single(IAsyncStreamReader<TIn> reader, IAsyncStreamWriter<TOut> writer) => new SingleWire(reader, writer);

    /// <summary>Several items per message, packed and unpacked by the envelope's own functions.</summary>
    public static StreamWire<TIn, TOut> Batched<TInEnvelope, TOutEnvelope>(IAsyncStreamReader<TInEnvelope> reader, IAsyncStreamWriter<TOutEnvelope> writer,
        Func<TInEnvelope, IReadOnlyList<TIn>> unpack, Func<IReadOnlyList<TOut>, TOutEnvelope> pack, int maxBatch) =>
        new BatchedWire<TInEnvelope, TOutEnvelope>(reader, writer, unpack, pack, maxBatch);

    private sealed class SingleWire(IAsyncStreamReader<TIn> reader, IAsyncStreamWriter<TOut> writer) : StreamWire<TIn, TOut>
    {
        public override int MaxBatch => 1;

        protected override Task WriteAsync(IReadOnlyList<TOut> items, CancellationToken ct) => writer.WriteAsync(items[0], ct);

        protected override async Task<bool> ReadAsync(Func<TIn, ValueTask> take, CancellationToken ct)
        {
            if (!await reader.MoveNext(ct)) return false;
            await take(reader.Current);
            return true;
        }
    }

    private sealed class BatchedWire<TInEnvelope, TOutEnvelope>(IAsyncStreamReader<TInEnvelope> reader, IAsyncStreamWriter<TOutEnvelope> writer,
        Func<TInEnvelope, IReadOnlyList<TIn>> unpack, Func<IReadOnlyList<TOut>, TOutEnvelope> pack, int maxBatch) : StreamWire<TIn, TOut>
    {
        public override int MaxBatch => maxBatch;

        protected override Task WriteAsync(IReadOnlyList<TOut> items, CancellationToken ct) => writer.WriteAsync(pack(items), ct);

        protected override async Task<bool> ReadAsync(Func<TIn, ValueTask> take, CancellationToken ct)
        {
            if (!await reader.MoveNext(ct)) return false;
            foreach (var item in unpack(reader.Current)) await take(item);
            return true;
        }
    }
}
