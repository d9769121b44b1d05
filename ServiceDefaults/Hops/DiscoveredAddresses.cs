using System.Net;
using Microsoft.Extensions.ServiceDiscovery;

namespace ServiceDefaults.Hops;

/// <summary>
/// A downstream's addresses as service discovery resolves them (and re-resolves when they change), one per request in
/// turn, as discovery's own handler picks them. Each address's base is built once per resolution: the handler rewrote
/// every request's URI through a <see cref="UriBuilder"/>, a cost a REST hop paid on each request (issue #15).
/// </summary>
/// <param name="serviceName">Discovery's name for the endpoint, such as <c>http://_h2c.producer-rest</c>.</param>
public sealed class DiscoveredAddresses(ServiceEndpointResolver resolver, string serviceName)
{
    /// <summary>What an address with no scheme of its own is reached by: the name's, its first if it offers several (<c>https+http</c>).</summary>
    private readonly string scheme = new Uri(serviceName).Scheme.Split('+')[0];
    private Resolution? last;
    private uint turn;

    /// <summary>The next address's base (scheme, host, port; no trailing slash), taken in turn over what discovery resolved last.</summary>
    public async ValueTask<string> NextAsync(CancellationToken ct)
    {
        var source = await resolver.GetEndpointsAsync(serviceName, ct);
        var resolution = last;
        if (resolution?.Source != source) last = resolution = new Resolution(source, [.. source.Endpoints.Select(Base)]);
        if (resolution.Bases.Length == 0) throw new InvalidOperationException($"service discovery resolved no endpoint for {serviceName}");
        return resolution.Bases[(int)(Interlocked.Increment(ref turn) % (uint)resolution.Bases.Length)];
    }

    private string Base(ServiceEndpoint endpoint) => endpoint.EndPoint switch
    {
        UriEndPoint { Uri: var uri } => uri.GetLeftPart(UriPartial.Path).TrimEnd('/'),
        IPEndPoint ip => Authority(ip.Address.ToString(), ip.Port),
        DnsEndPoint dns => Authority(dns.Host, dns.Port),
        var other => throw new InvalidOperationException($"service discovery resolved {serviceName} to {other}, which is not an address"),
    };

    private string Authority(string host, int port) =>
        new UriBuilder(scheme, host, port > 0 ? port : -1).Uri.GetLeftPart(UriPartial.Authority);

    private sealed record Resolution(ServiceEndpointSource Source, string[] Bases);
}
