using LoadGenerator.Reports;
using LoadGenerator.Runs;

namespace Benchmarks.Tests;

/// <summary>The soak's machinery on a few seconds per chain: the real one is a benchmark of minutes, run by hand.</summary>
[Collection(ChainCollection.Name)]
public class SoakTests(ChainApp chain)
{
    [Fact]
    public async Task A_short_soak_samples_every_service_each_second_and_reports_trends_without_errors()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var settings = new SoakSettings { Duration = TimeSpan.FromSeconds(8), CapacityWindow = TimeSpan.FromSeconds(2), Concurrency = 8 };

        var report = await Soak.RunAsync(settings, chain.Addresses(), null, timeout.Token);
        var markdown = SoakWriter.Markdown(report);

        Assert.Equal(["rest", "grpc"], report.Chains.Select(c => c.Chain));
        Assert.All(report.Chains, c =>
        {
            Assert.Equal(0, c.Run.Failed);
            Assert.InRange(c.Rate, 0.6 * c.Capacity, 0.8 * c.Capacity);
            // The schedule was kept, not just set: what was really sent per second (a request the in-flight cap kept back
            // past the end was never sent, and counts against it).
            Assert.True(c.Run.SentPerSecond >= 0.95 * c.Rate, $"sent {c.Run.SentPerSecond:N0}/s of {c.Rate:N0}/s asked ({c.Run.Unsent} never sent)");
            Assert.True(c.HeldTheRate);
            Assert.InRange(c.Samples.Count, 6, 9);
            Assert.Equal([$"aggregator-{c.Chain}", $"processor-{c.Chain}", $"producer-{c.Chain}"], c.Samples[^1].Services.Keys.Order());
            Assert.All(c.Samples[^1].Services.Values, s => Assert.True(s.WorkingSetBytes > 1 << 20 && s.GcHeapBytes > 0, $"{s}"));
            var loadGenerator = c.Samples[^1].LoadGenerator;
            Assert.True(loadGenerator.WorkingSetBytes > 1 << 20 && loadGenerator.GcHeapBytes > 0, $"{loadGenerator}");
            Assert.Contains(c.Trends, t => t.Service == $"aggregator-{c.Chain}" && t.Figure == "working set MB" && t.First > 1);
            Assert.Contains($"## {c.Chain}", markdown);
        });
        Assert.True(report.Chains.Single(c => c.Chain == "grpc").Trends.Any(t => t.Figure == "streams" && t.Last > 0), "the gRPC chain's open streams are not in the trends");
    }
}
