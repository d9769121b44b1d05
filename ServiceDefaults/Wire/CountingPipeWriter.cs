using System.IO.Pipelines;

namespace ServiceDefaults.Wire;

/// <summary>
/// Counts the bytes Kestrel writes to a connection, as it advances past them. WriteAsync is left to the base class, which
/// writes through <see cref="GetSpan"/> and <see cref="Advance"/>: counted without a second path to keep right.
/// </summary>
internal sealed class CountingPipeWriter(PipeWriter inner, WireTally tally) : PipeWriter
{
    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void Advance(int bytes)
    {
        tally.AddWritten(bytes);
        inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
}
