namespace LoadGenerator;

/// <summary>
/// The bytes one hop of a row's chain carried per request that succeeded, both ways. Its client's count is the figure:
/// a client carries the hop's requests alone. Its server's is a cross-check, a little higher as its process also answers
/// the probes (/stats, health).
/// </summary>
/// <param name="Hop">Caller and callee: "load generator → aggregator", "aggregator → processor", "processor → producer".</param>
/// <param name="RequestBytes">Written by the hop's client: request headers and bodies, framing, HTTP/2 control frames.</param>
/// <param name="ResponseBytes">Read by the hop's client.</param>
/// <param name="ServerReadBytes">Read by the hop's server: <paramref name="RequestBytes"/> as it saw them, probes included.</param>
/// <param name="ServerWrittenBytes">Written by the hop's server: <paramref name="ResponseBytes"/> as it saw them, probes included.</param>
public sealed record HopBytes(string Hop, double RequestBytes, double ResponseBytes, double ServerReadBytes, double ServerWrittenBytes)
{
    /// <summary>Both ways, per request, as the client counted them.</summary>
    public double Bytes => RequestBytes + ResponseBytes;
}
