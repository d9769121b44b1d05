using System.Collections.Concurrent;
using System.Net;
using LoadGenerator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceDefaults;
using ServiceDefaults.Hops;
using ServiceDefaults.Rest;

namespace Benchmarks.Tests.Rest;

/// <summary>
/// A REST service on a real Kestrel, in-process, shaped as the AppHost shapes one: an HTTP/1.1 endpoint and an
/// HTTP/2-only (prior knowledge) one, here on ephemeral ports; one that calls a downstream finds that one's two endpoints
/// through service discovery, by name, as in the AppHost.
/// </summary>
internal sealed class RestService : IAsyncDisposable
{
    private WebApplication app = null!;
    private ListenOptions http1 = null!, h2c = null!;

    private RestService(string name) => Name = name;

    public string Name { get; }

    /// <summary>Every request it took: the protocol it came over, the encoding it asked for, and its connection.</summary>
    public ConcurrentQueue<(string Protocol, RestEncoding Encoding, string Connection)> Seen { get; } = new();

    public Uri Endpoint(RestHttpVersion version) =>
        new($"http://127.0.0.1:{((IPEndPoint)(version is RestHttpVersion.Http2 ? h2c : http1).EndPoint).Port}");

    /// <param name="downstream">The service it calls through a <see cref="RestHop"/>, if any.</param>
    /// <param name="map">Its endpoints.</param>
    public static async Task<RestService> StartAsync(string name, RestService? downstream, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var settings = new Dictionary<string, string?> { ["Chain:Transport"] = nameof(ChainTransport.Rest) };
        if (downstream is not null)
        {
            settings["Chain:Downstream"] = downstream.Name;
            settings[$"services:{downstream.Name}:http:0"] = downstream.Endpoint(RestHttpVersion.Http11).ToString();
            settings[$"services:{downstream.Name}:{ChainOptions.H2cEndpoint}:0"] = downstream.Endpoint(RestHttpVersion.Http2).ToString();
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        // A line per request would bury the test run's own output.
        builder.Logging.ClearProviders();
        builder.AddChainTransport();
        if (downstream is not null) builder.AddRestHop();
        var service = new RestService(name);
        // Kestrel writes the port it was given for 0 into the listen options it bound.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => (service.http1 = listen).Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, listen => (service.h2c = listen).Protocols = HttpProtocols.Http2);
        });
        var app = service.app = builder.Build();
        app.Use((http, next) =>
        {
            service.Seen.Enqueue((http.Request.Protocol, RestEncodings.Of(http.Request), http.Connection.Id));
            return next(http);
        });
        map(app);
        await app.StartAsync();
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
