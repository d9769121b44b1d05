using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>
/// A telemetry mode, switched on a running service, changes what it records: the service's own OpenTelemetry set-up
/// (its AddServiceDefaults, on a real Kestrel) with in-memory exporters beside the OTLP one, read after each burst of requests.
/// </summary>
public sealed class TelemetryModeTests : IAsyncLifetime
{
    private const string RequestDuration = "http.server.request.duration";
    private readonly List<Activity> spans = [];
    private readonly List<Metric> metrics = [];
    private WebApplication app = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [TraceSampling.Key] = "1/s" });
        builder.AddServiceDefaults();
        builder.Logging.ClearProviders();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/work", () => "done");
        await app.StartAsync();
        http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Each_mode_records_what_it_says_and_the_switch_goes_both_ways()
    {
        Assert.Equal("sampled", await ModeAsync());
        // Sampled at 1 a second: a burst of 50 gets one trace, its requests all counted in the metric.
        var sampled = await BurstAsync("sampled");
        Assert.InRange(sampled.Spans, 1, 3);
        Assert.True(sampled.Requests >= 50, $"sampled: {sampled.Requests} requests in {RequestDuration}");

        var full = await BurstAsync("full");
        Assert.Equal(50, full.Spans);
        Assert.True(full.Requests >= 50, $"full: {full.Requests}");

        var metricsOnly = await BurstAsync("metrics");
        Assert.Equal(0, metricsOnly.Spans);
        Assert.True(metricsOnly.Requests >= 50, $"metrics: {metricsOnly.Requests}");

        var off = await BurstAsync("off");
        Assert.Equal((0, 0L), (off.Spans, off.Requests));
        Assert.Contains("telemetry off: no traces, no metrics", (await http.GetFromJsonAsync<ServiceStats>("/stats"))!.Telemetry);

        // And back: the instruments are enabled again, counting from the switch.
        var again = await BurstAsync("full");
        Assert.Equal(50, again.Spans);
        Assert.True(again.Requests >= 50, $"full again: {again.Requests}");
    }

    [Fact]
    public async Task A_mode_the_service_does_not_know_is_refused_naming_the_modes()
    {
        using var answer = await http.PutAsync("/admin/telemetry?mode=verbose", null);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("mode must be one of off, metrics, sampled, full, got 'verbose'", await answer.Content.ReadAsStringAsync());
        Assert.Equal("sampled", await ModeAsync());
    }

    [Theory]
    [InlineData("", TelemetryMode.Sampled)]
    [InlineData("OFF", TelemetryMode.Off)]
    [InlineData("metrics", TelemetryMode.Metrics)]
    public void The_mode_at_start_comes_from_configuration(string setting, TelemetryMode mode) =>
        Assert.Equal(mode, TelemetryModes.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryModes.Key] = setting }).Build()));

    [Fact]
    public void A_bad_mode_at_start_stops_the_service_saying_what_is_wanted() =>
        Assert.Contains("Chain:Telemetry must be one of off, metrics, sampled, full, got 'most'", Assert.Throws<FormatException>(() =>
            TelemetryModes.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryModes.Key] = "most" }).Build())).Message);

    /// <summary>Switches to <paramref name="mode"/>, sends 50 requests, and reads what was recorded of them: spans, and requests in the duration histogram.</summary>
    private async Task<(int Spans, long Requests)> BurstAsync(string mode)
    {
        (await http.PutAsync($"/admin/telemetry?mode={mode}", null)).EnsureSuccessStatusCode();
        Flush();
        var before = Requests();
        lock (spans) spans.Clear();
        // A second apart from the last burst, so the sampled mode's cap a second lets a trace through.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        for (var i = 0; i < 50; i++) (await http.GetAsync("/work")).EnsureSuccessStatusCode();
        Flush();
        // Cumulative counts: a stream that stopped reads as its last total, or not at all once it is dropped.
        lock (spans) return (spans.Count(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/work")), Math.Max(0, Requests() - before));
    }

    private void Flush()
    {
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    /// <summary>The requests to /work the duration histogram holds in its latest export (cumulative), none when it was not exported.</summary>
    private long Requests()
    {
        lock (metrics)
        {
            var latest = metrics.LastOrDefault(m => m.Name == RequestDuration);
            metrics.Clear();
            if (latest is null) return 0;
            long count = 0;
            foreach (ref readonly var point in latest.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    if (tag is { Key: "http.route", Value: "/work" }) count += point.GetHistogramCount();
                }
            }
            return count;
        }
    }

    private async Task<string?> ModeAsync() => (await http.GetFromJsonAsync<Dictionary<string, string>>("/admin/telemetry"))!["mode"];
}
