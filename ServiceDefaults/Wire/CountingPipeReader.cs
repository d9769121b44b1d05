using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace ServiceDefaults.Wire;

/// <summary>
/// Counts the bytes Kestrel consumes from a connection: in <see cref="AdvanceTo(SequencePosition)"/>, measured on the
/// buffer the last read returned. Bytes only examined are counted once consumed, so each byte counts once.
/// </summary>
internal sealed class CountingPipeReader(PipeReader inner, WireTally tally) : PipeReader
{
    private ReadOnlySequence<byte> lastRead;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(cancellationToken);
        if (!read.IsCompletedSuccessfully) return RememberWhenReadAsync(read);
        var result = read.Result;
        lastRead = result.Buffer;
        return new ValueTask<ReadResult>(result);
    }

    // Pooled: a connection waiting for bytes would otherwise allocate a state machine per read.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> RememberWhenReadAsync(ValueTask<ReadResult> read)
    {
        var result = await read.ConfigureAwait(false);
        lastRead = result.Buffer;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result)) return false;
        lastRead = result.Buffer;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        Count(consumed);
        inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        Count(consumed);
        inner.AdvanceTo(consumed, examined);
    }

    private void Count(SequencePosition consumed)
    {
        if (lastRead.IsEmpty) return;
        tally.AddRead(lastRead.Slice(lastRead.Start, consumed).Length);
        lastRead = default;
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
}
