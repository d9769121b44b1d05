using System.Runtime.CompilerServices;

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

    /// <summary>Counts a read as it completes, and passes its result on.</summary>
    public ValueTask<int> CountRead(ValueTask<int> read) =>
        read.IsCompletedSuccessfully ? new ValueTask<int>(CountRead(read.Result)) : ReadWhenDoneAsync(read);

    /// <summary>Counts a read's bytes, and passes them on.</summary>
    public int CountRead(int bytes)
    {
        AddRead(bytes);
        return bytes;
    }

    // Pooled: a connection waiting for bytes would otherwise allocate a state machine per read.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadWhenDoneAsync(ValueTask<int> read) => CountRead(await read.ConfigureAwait(false));
}
