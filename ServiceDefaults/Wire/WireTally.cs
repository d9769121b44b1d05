namespace ServiceDefaults.Wire;

/// <summary>One connection's bytes, read and written. Only that connection adds to it, so its adds never contend.</summary>
internal sealed class WireTally
{
    private long read, written;

    public long Read => Interlocked.Read(ref read);
    public long Written => Interlocked.Read(ref written);

    // Interlocked though a connection's reads (and its writes) come one at a time: they may come on different threads.
    public void AddRead(long bytes) => Interlocked.Add(ref read, bytes);

    public void AddWritten(long bytes) => Interlocked.Add(ref written, bytes);
}
