using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ServiceDefaults.Wire;

/// <summary>
/// Bytes on the wire, counted on this process's HTTP connections: as a server by a Kestrel connection middleware, as a
/// client by a stream around each connection a <see cref="SocketsHttpHandler"/> opens. They are HTTP/1.1 or HTTP/2
/// bytes on the TCP connection (headers, framing, bodies, HTTP/2's control frames), not TCP/IP headers.
/// </summary>
public static class WireCounting
{
    /// <summary>What this process's Kestrel endpoints read and wrote (each with <see cref="UseWireCounting"/>).</summary>
    public static readonly WireTotals Server = new();

    /// <summary>What this process's counted clients (each with a <see cref="Handler"/>) read and wrote.</summary>
    public static readonly WireTotals Client = new();

    /// <summary>Counts every connection of this endpoint into <paramref name="server"/> (this process's <see cref="Server"/> unless given).</summary>
    public static ListenOptions UseWireCounting(this ListenOptions listen, WireTotals? server = null)
    {
        var totals = server ?? Server;
        listen.Use(next => async connection =>
        {
            var tally = totals.Open();
            var transport = connection.Transport;
            connection.Transport = new CountingDuplexPipe(transport, tally);
            try
            {
                await next(connection);
            }
            finally
            {
                connection.Transport = transport;
                totals.Close(tally);
            }
        });
        return listen;
    }

    /// <summary>
    /// <paramref name="handler"/> (a new one unless given) with each connection it opens counted into <paramref name="client"/>
    /// (this process's <see cref="Client"/> unless given). Counted in the plaintext stream filter, not a connect callback:
    /// the handler still connects as it would (and gRPC's channel, seeing no connect callback, keeps its own connection
    /// management).
    /// </summary>
    public static SocketsHttpHandler Handler(SocketsHttpHandler? handler = null, WireTotals? client = null)
    {
        handler ??= new SocketsHttpHandler();
        var totals = client ?? Client;
        // A socket the handler connected gets a counting NetworkStream of its own (the handler's is left unused: disposing
        // it would close the socket); a stream someone else connected (gRPC's channel wraps its own) is wrapped.
        handler.PlaintextStreamFilter = (context, _) => ValueTask.FromResult<Stream>(context.PlaintextStream is NetworkStream connection
            ? new CountingNetworkStream(connection.Socket, totals)
            : new CountingStream(context.PlaintextStream, totals));
        return handler;
    }

    /// <summary>The four totals as one counter's measurements, by side (server or client) and direction (read or written).</summary>
    internal static IEnumerable<Measurement<long>> Measurements()
    {
        foreach (var (side, totals) in new[] { ("server", Server), ("client", Client) })
        {
            var bytes = totals.Total();
            yield return new Measurement<long>(bytes.Read, new("side", side), new("direction", "read"));
            yield return new Measurement<long>(bytes.Written, new("side", side), new("direction", "written"));
        }
    }
}
