using System.Net.Http.Json;
using LoadGenerator;
using LoadGenerator.Reports;
using LoadGenerator.Runs;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>The telemetry sweep's machinery on one row and its ceiling, in two modes, a second each: the real one is a run of minutes, by hand (what each mode records is TelemetryModeTests').</summary>
[Collection(ChainCollection.Name)]
public class TelemetrySweepTests(ChainApp chain)
{
    [Fact]
    public async Task Each_mode_gets_its_own_report_of_the_same_rows_and_every_service_gets_its_mode_back()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var chains = chain.Addresses();
        var settings = new CompareSettings { Duration = TimeSpan.FromSeconds(1), Warmup = TimeSpan.FromSeconds(1), Concurrency = 8 };

        // Off and metrics, not full: tracing every request sent the dashboard some 40,000 spans, and storing them kept it
        // busy well into the tests after this one (a soak then lost its rate to an 800 ms stall, a 12 ms budget ran out).
        var byMode = await TelemetrySweep.RunAsync(settings, chains, [TelemetryMode.Off, TelemetryMode.Metrics], null, timeout.Token, only: [Scenario.Rest]);
        var directory = Path.Combine(ChainApp.ResultsDirectory, $"telemetry-test-{Guid.NewGuid():N}");
        var price = await TelemetryWriter.WriteAsync(byMode, directory, timeout.Token);

        Assert.Equal([TelemetryMode.Off, TelemetryMode.Metrics], byMode.Select(TelemetrySweep.ModeOf));
        Assert.All(byMode, report =>
        {
            var mode = TelemetrySweep.ModeOf(report)!.Value.Name();
            // The services said which mode they measured in: the switch reached all six.
            Assert.StartsWith($"Same on all 6 services: telemetry {mode}:", report.Telemetry);
            Assert.Equal([Scenario.RestCeiling, Scenario.Rest], report.Rows.Select(r => r.Run.Scenario));
            Assert.All(report.Rows, row => Assert.True(row.Reconciliation.Matches && row.Run.Failed == 0, $"{mode}, {row.Run.Name}: {row.Reconciliation.Detail}"));
            Assert.True(report.Rows[1].HopOfFloor > 0, $"{mode}: no hop ÷ floor");
            Assert.True(File.Exists(Path.Combine(directory, mode, "report.json")), $"no {mode}/report.json");
        });
        Assert.Contains("| REST, JSON over HTTP/1.1 |", price);
        Assert.Contains("metrics ÷ off", price);
        Assert.Contains(price, await File.ReadAllTextAsync(Path.Combine(directory, "telemetry.md")));
        // The README's section reads the same table back from the reports on disk.
        Assert.Equal(price, TelemetryWriter.Price((await ReadmeResults.LoadAsync(directory, timeout.Token)).OrderBy(TelemetrySweep.ModeOf).ToList()));

        using var http = new HttpClient();
        foreach (var (service, address) in chains.Stats.Select(s => (s.Key, s.Value.Single())))
        {
            var mode = await http.GetFromJsonAsync<Dictionary<string, string>>(new Uri(address, TelemetryModes.Path), timeout.Token);
            Assert.True(mode!["mode"] == "sampled", $"{service} was left in {mode["mode"]}");
        }
    }
}
