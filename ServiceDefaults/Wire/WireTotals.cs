namespace ServiceDefaults.Wire;

/// <summary>
/// One side's bytes (a process as a server, or as a client): the tallies of its open connections, and what the closed
/// ones left. The hot path adds to a connection's own tally; only opening, closing and reading take the lock.
/// </summary>
public sealed class WireTotals
{
    private readonly Lock gate = new();
    private readonly HashSet<WireTally> open = [];
    private long closedRead, closedWritten;

    /// <summary>Everything so far: the closed connections' bytes and the open ones' up to now.</summary>
    public WireBytes Total()
    {
        lock (gate)
        {
            var (read, written) = (closedRead, closedWritten);
            foreach (var tally in open)
            {
                read += tally.Read;
                written += tally.Written;
            }
            return new WireBytes(read, written);
        }
    }

    internal WireTally Open()
    {
        var tally = new WireTally();
        lock (gate) open.Add(tally);
        return tally;
    }

    /// <summary>Folds a closed connection's bytes into the totals; closing it again changes nothing.</summary>
    internal void Close(WireTally tally)
    {
        lock (gate)
        {
            if (!open.Remove(tally)) return;
            closedRead += tally.Read;
            closedWritten += tally.Written;
        }
    }
}
