using System.Threading.Channels;
using Grpc.Core;

namespace Benchmarks.Tests.Fakes;

/// <summary>
/// One direction of a gRPC stream, in memory: what one side writes the other reads, in order. It stands in for a
/// server's request reader or response writer, and for a client call's request writer or response reader.
/// </summary>
public sealed class StreamPipe<T> : IAsyncStreamReader<T>, IServerStreamWriter<T>, IClientStreamWriter<T>
{
    private readonly Channel<T> messages = Channel.CreateUnbounded<T>();

    public T Current { get; private set; } = default!;

    public WriteOptions? WriteOptions { get; set; }

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        // A pipe broken with an exception throws it here, once the messages written before it are read.
        if (!await messages.Reader.WaitToReadAsync(cancellationToken)) return false;
        Current = await messages.Reader.ReadAsync(cancellationToken);
        return true;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(T message, CancellationToken cancellationToken) => messages.Writer.WriteAsync(message, cancellationToken).AsTask();

    /// <summary>The writer is done: the reader sees the end of the stream after the messages in it.</summary>
    public Task CompleteAsync()
    {
        messages.Writer.TryComplete();
        return Task.CompletedTask;
    }

    /// <summary>The stream fails: the reader gets <paramref name="why"/> after the messages in it.</summary>
    public void Break(Exception why) => messages.Writer.TryComplete(why);

    /// <summary>Reads the next message, or fails the test if none comes within a few seconds.</summary>
    public async Task<T> NextAsync()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.True(await MoveNext(patience.Token), "the stream ended");
        return Current;
    }
}
