
namespace ServiceDefaults.Wire;

/// <summary>
/// A client connection's stream, its bytes counted on the way through (see <see cref="WireCounting.Handler"/>); its
/// bytes join the totals for good when the handler disposes it with its connection.
/// </summary>
internal sealed class CountingStream : Stream
{
    private readonly Stream inner;
    private readonly WireTotals totals;
    private readonly WireTally tally;

    public CountingStream(Stream inner, WireTotals totals)
    {
        this.inner = inner;
        this.totals = totals;
        tally = totals.Open();
    }

    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => tally.CountRead(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => tally.CountRead(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        tally.CountRead(inner.ReadAsync(buffer, cancellationToken));


    public override void Write(byte[] buffer, int offset, int count)
    {
        tally.AddWritten(count);
        inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        tally.AddWritten(buffer.Length);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Counted as handed over, like the server's writes: a write that fails has broken the connection anyway.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        tally.AddWritten(buffer.Length);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            totals.Close(tally);
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        totals.Close(tally);
        GC.SuppressFinalize(this);
    }
}
