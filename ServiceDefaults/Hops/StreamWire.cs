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

    /// <summary>Writes <paramref name="items"/> (at most <see cref="MaxBatch"/>) as one stream message.</summary>
    public abstract Task WriteAsync(IReadOnlyList<TOut> items, CancellationToken ct);

    /// <summary>Reads the next stream message and hands each item in it to <paramref name="take"/>; false at the stream's end.</summary>
    public abstract Task<bool> ReadAsync(Func<TIn, ValueTask> take, CancellationToken ct);

    /// <summary>One item per message, as a plain stream carries them.</summary>
    public static StreamWire<TIn, TOut> Single(IAsyncStreamReader<TIn> reader, IAsyncStreamWriter<TOut> writer) => new SingleWire(reader, writer);

    /// <summary>Several items per message, packed and unpacked by the envelope's own functions.</summary>
    public static StreamWire<TIn, TOut> Batched<TInEnvelope, TOutEnvelope>(IAsyncStreamReader<TInEnvelope> reader, IAsyncStreamWriter<TOutEnvelope> writer,
        Func<TInEnvelope, IReadOnlyList<TIn>> unpack, Func<IReadOnlyList<TOut>, TOutEnvelope> pack, int maxBatch) =>
        new BatchedWire<TInEnvelope, TOutEnvelope>(reader, writer, unpack, pack, maxBatch);

    private sealed class SingleWire(IAsyncStreamReader<TIn> reader, IAsyncStreamWriter<TOut> writer) : StreamWire<TIn, TOut>
    {
        public override int MaxBatch => 1;

        public override Task WriteAsync(IReadOnlyList<TOut> items, CancellationToken ct) => writer.WriteAsync(items[0], ct);

        public override async Task<bool> ReadAsync(Func<TIn, ValueTask> take, CancellationToken ct)
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

        public override Task WriteAsync(IReadOnlyList<TOut> items, CancellationToken ct) => writer.WriteAsync(pack(items), ct);

        public override async Task<bool> ReadAsync(Func<TIn, ValueTask> take, CancellationToken ct)
        {
            if (!await reader.MoveNext(ct)) return false;
            foreach (var item in unpack(reader.Current)) await take(item);
            return true;
        }
    }
}
