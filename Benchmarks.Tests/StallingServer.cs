using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Protos.Json;

namespace Benchmarks.Tests;

/// <summary>A real Kestrel server whose every request waits while a stall lasts, like a process paused by a long GC.</summary>
internal sealed class StallingServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TimeSpan stallAfter, stallFor;
    private long firstRequestAt;

    private StallingServer(WebApplication app, TimeSpan stallAfter, TimeSpan stallFor) =>
        (this.app, this.stallAfter, this.stallFor) = (app, stallAfter, stallFor);

    public Uri Address { get; private set; } = null!;

    public static async Task<StallingServer> StartAsync(TimeSpan stallAfter, TimeSpan stallFor)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // A line per request would bury the test run's own output.
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ChainJsonContext.Default));
        var app = builder.Build();
        var server = new StallingServer(app, stallAfter, stallFor);
        app.MapGet("/aggregate", server.AnswerAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(new Uri(address), "/aggregate");
        return server;
    }

    public void Rearm() => Interlocked.Exchange(ref firstRequestAt, 0);

    private async Task<IResult> AnswerAsync()
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref firstRequestAt, now, 0);
        var stallEnds = Volatile.Read(ref firstRequestAt) + (long)((stallAfter + stallFor).TotalSeconds * Stopwatch.Frequency);
        var stallStarts = stallEnds - (long)(stallFor.TotalSeconds * Stopwatch.Frequency);
        if (now >= stallStarts && now < stallEnds) await Task.Delay(Stopwatch.GetElapsedTime(now, stallEnds));
        return TypedResults.Ok(new AggregateJson(10, 1, 0.1, 0, 1));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
