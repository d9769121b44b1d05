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

/// <summary>
/// A real Kestrel server whose every request waits while a stall lasts, like a process paused by a long GC. The stall
/// begins a time after the first request, or at a given request whatever the time: a count does not move when the
/// machine running the test pauses.
/// </summary>
internal sealed class StallingServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TimeSpan stallAfter, stallFor;
    private readonly long? stallFrom;
    private long firstRequestAt, arrived, stallStartedAt;

    private StallingServer(WebApplication app, TimeSpan stallAfter, TimeSpan stallFor, long? stallFrom) =>
        (this.app, this.stallAfter, this.stallFor, this.stallFrom) = (app, stallAfter, stallFor, stallFrom);

    public Uri Address { get; private set; } = null!;

    /// <summary>Requests that have arrived so far.</summary>
    public long Arrived => Interlocked.Read(ref arrived);

    public static Task<StallingServer> StartAsync(TimeSpan stallAfter, TimeSpan stallFor) => StartAsync(stallAfter, stallFor, null);

    /// <summary>The stall begins when request number <paramref name="stallFromRequest"/> arrives, and holds it and every later one until it ends.</summary>
    public static Task<StallingServer> StartAsync(long stallFromRequest, TimeSpan stallFor) => StartAsync(TimeSpan.Zero, stallFor, stallFromRequest);

    private static async Task<StallingServer> StartAsync(TimeSpan stallAfter, TimeSpan stallFor, long? stallFrom)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // A line per request would bury the test run's own output.
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ChainJsonContext.Default));
        var app = builder.Build();
        var server = new StallingServer(app, stallAfter, stallFor, stallFrom);
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
        if (StallEnds(Interlocked.Increment(ref arrived), now) is { } ends && now < ends) await Task.Delay(Stopwatch.GetElapsedTime(now, ends));
        return TypedResults.Ok(new AggregateJson(10, 1, 0.1, 0, 1));
    }

    /// <summary>When the stall that holds request number <paramref name="number"/>, arrived at <paramref name="now"/>, ends; null when none holds it.</summary>
    private long? StallEnds(long number, long now)
    {
        if (stallFrom is { } from)
        {
            if (number < from) return null;
            Interlocked.CompareExchange(ref stallStartedAt, now, 0);
            return Volatile.Read(ref stallStartedAt) + Ticks(stallFor);
        }
        Interlocked.CompareExchange(ref firstRequestAt, now, 0);
        var starts = Volatile.Read(ref firstRequestAt) + Ticks(stallAfter);
        return now >= starts ? starts + Ticks(stallFor) : null;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
