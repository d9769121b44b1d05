using System.Diagnostics.Metrics;
using Aspire.Hosting.Testing;
using LoadGenerator;
using LoadGenerator.Runs;
using LoadGenerator.Serve;
using LoadGenerator.Targets;

namespace Benchmarks.Tests;

/// <summary>
/// The series behind the one-chart comparison in the dashboard, read as the OpenTelemetry exporter reads them: the load
/// generator's gauges, observed while the REST chain is loaded and the gRPC chain idles.
/// </summary>
[Collection(ChainCollection.Name)]
public class ChainWatchTests(ChainApp chain)
{
    [Fact]
    public async Task While_a_run_goes_each_chain_has_its_cpu_and_rate_series_and_after_it_none()
    {
        var ct = Eventually.Within(60);
        var settings = new LoadSettings
        {
            Target = TargetKind.Rest, Address = new Uri(chain.App.GetEndpoint("aggregator-rest", "http"), "/aggregate"),
            Duration = TimeSpan.FromSeconds(4), Warmup = TimeSpan.Zero, Concurrency = 8, Connections = 8, Timeout = TimeSpan.FromSeconds(5),
        };
        Dictionary<(string Instrument, string Tags), double> during;
        await using (var watch = ChainWatch.Start(chain.Addresses().Stats))
        {
            await using var target = LoadTargets.Create(settings);
            var run = LoadRun.RunAsync("watched", target, settings, null, ct);
            // Two readings a second apart, both under load.
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            // One collection of one reading: the gauges are collected one after another, and a reading published in
            // between (once a second) gave a chain's CPU from one second and its services' from the next (123.5 against 112.3).
            long readings;
            do
            {
                readings = ChainWatch.Readings;
                during = Observe();
            }
            while (ChainWatch.Readings != readings);
            await run;
        }

        Assert.True(during[(ChainWatch.ChainCpu, "chain=rest")] > 1, Describe(during));
        Assert.True(during[(ChainWatch.ChainRate, "chain=rest")] > 10, Describe(during));
        // The idle chain is a line of its own beside it, not missing: nothing served, next to no CPU.
        Assert.Equal(0, during[(ChainWatch.ChainRate, "chain=grpc")]);
        Assert.True(during[(ChainWatch.ChainCpu, "chain=grpc")] < during[(ChainWatch.ChainCpu, "chain=rest")], Describe(during));
        // Each service of both chains, named by chain and service; a chain's CPU is its three services'.
        var services = during.Keys.Where(k => k.Instrument == ChainWatch.ServiceCpu).Select(k => k.Tags).ToArray();
        Assert.Equal(ChainApp.Services.Select(s => $"chain={s[(s.LastIndexOf('-') + 1)..]},service={s}").Order(), services.Order());
        var restServices = during.Where(m => m.Key.Instrument == ChainWatch.ServiceCpu && m.Key.Tags.StartsWith("chain=rest")).Sum(m => m.Value);
        Assert.Equal(during[(ChainWatch.ChainCpu, "chain=rest")], restServices, 1);

        Assert.Empty(Observe());
    }

    /// <summary>One collection of the load generator's chain gauges, as an exporter makes it.</summary>
    private static Dictionary<(string Instrument, string Tags), double> Observe()
    {
        var measured = new Dictionary<(string, string), double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == LoadMetrics.MeterName && instrument.Name.StartsWith("loadgen.chain.", StringComparison.Ordinal)) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            measured[(instrument.Name, string.Join(",", tags.ToArray().OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}")))] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }

    private static string Describe(Dictionary<(string Instrument, string Tags), double> measured) =>
        string.Join("; ", measured.Select(m => $"{m.Key.Instrument} {m.Key.Tags} = {m.Value}"));
}
