using System.Text.RegularExpressions;
using LoadGenerator;
using LoadGenerator.Reports;
using ServiceDefaults;
using ServiceDefaults.Rest;

namespace Benchmarks.Tests;

/// <summary>The walk from REST to gRPC one factor at a time, from rows of one run: each step's difference and share, in Markdown and as waterfalls.</summary>
public sealed class AttributionTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"attribution-tests-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    /// <summary>A row of <paramref name="scenario"/> at 1,000 records: chain CPU 0.125 × <paramref name="cpuScale"/> ms, <paramref name="bytes"/> on one hop.</summary>
    private static ComparisonRow Row(Scenario scenario, double cpuScale, double bytes)
    {
        var row = ReportTests.Row(scenario.Name, scenario.Target, scenario.Chain, "shape", scenario.StreamMode, 10_000, 1, cpuScale);
        return row with
        {
            Run = row.Run with { Settings = row.Run.Settings with { Size = 1000, HttpVersion = scenario.HttpVersion, Encoding = scenario.Encoding } },
            Wire = [new HopBytes("load generator → aggregator", bytes / 4, 3 * bytes / 4, bytes / 4, 3 * bytes / 4)],
        };
    }

    private static readonly ComparisonReport Report = new(DateTimeOffset.Parse("2026-11-25T09:00:00Z"), new MachineInfo(2, "Linux", ".NET 10"), "telemetry",
    [
        Row(Scenario.Rest, 2.0, 3000),
        Row(Scenario.RestJsonH2, 1.6, 2400),
        Row(Scenario.RestProtobuf, 1.6, 1700),
        Row(Scenario.RestProtobufH2, 1.2, 1200),
        Row(Scenario.GrpcPerRequest, 1.4, 1500),
        Row(Scenario.GrpcShared, 0.8, 900),
    ]);

    [Fact]
    public void Each_step_changes_one_factor_and_the_steps_add_up_to_the_whole_walk()
    {
        var walk = Assert.Single(Attribution.Of(Report));

        Assert.Equal(1000, walk.Size);
        Assert.Equal(["HTTP/1.1 → HTTP/2", "JSON → protobuf", "REST → gRPC, a stream per request", "a stream per request → shared streams"],
            walk.Steps.Select(step => step.Factor));
        Assert.Equal([Scenario.Rest, Scenario.RestJsonH2, Scenario.RestProtobufH2, Scenario.GrpcPerRequest],
            walk.Steps.Select(step => step.From.Run.Scenario));
        Assert.Equal(walk.CpuMsDifference, walk.Steps.Sum(step => step.CpuMs), 9);
        Assert.Equal(-0.150, walk.CpuMsDifference, 9);
        Assert.Equal(-2100, walk.BytesDifference!.Value, 9);
        Assert.Equal([Scenario.RestProtobuf, Scenario.RestProtobufH2], walk.OtherOrder.Select(step => step.To.Run.Scenario));
    }

    [Fact]
    public async Task The_report_shows_each_step_with_its_share_and_draws_a_waterfall_of_cpu_and_one_of_bytes()
    {
        await ReportWriter.WriteAsync(Report, directory, CancellationToken.None);

        var markdown = await File.ReadAllTextAsync(Path.Combine(directory, "report.md"));
        Assert.Contains("## Why: one factor at a time\n", markdown);
        Assert.Contains("### 1,000 records per batch\n", markdown);
        Assert.Contains("| start | REST, JSON over HTTP/1.1 | 0.250 |  |  | 3,000 |  |  |", markdown);
        Assert.Contains("| HTTP/1.1 → HTTP/2 | REST, JSON over HTTP/2 | 0.200 | −0.050 | 33% | 2,400 | −600 | 29% |", markdown);
        Assert.Contains("| JSON → protobuf | REST, protobuf over HTTP/2 | 0.150 | −0.050 | 33% | 1,200 | −1,200 | 57% |", markdown);
        // A step against the walk's direction has a negative share.
        Assert.Contains("| REST → gRPC, a stream per request | gRPC unary, stream per request | 0.175 | +0.025 | -17% | 1,500 | +300 | -14% |", markdown);
        Assert.Contains("| whole walk | gRPC unary, shared streams | 0.100 | −0.150 | 100% | 900 | −2,100 | 100% |", markdown);
        Assert.Contains("JSON → protobuf, on HTTP/1.1 −0.050 CPU-ms/req, −1,300 B/req; then HTTP/1.1 → HTTP/2, with protobuf −0.050 CPU-ms/req, −500 B/req", markdown);

        var html = await File.ReadAllTextAsync(Path.Combine(directory, "report.html"));
        var waterfalls = Regex.Matches(html, "<svg class=\"chart\" data-series-count=\"(\\d+)\"[^>]*><title>Chain (CPU-ms|bytes) per request, one factor at a time");
        Assert.Equal(["CPU-ms", "bytes"], waterfalls.Select(m => m.Groups[2].Value));
        Assert.All(waterfalls, m => Assert.Equal("6", m.Groups[1].Value));
    }

    [Fact]
    public async Task A_report_without_every_row_of_the_walk_has_no_attribution()
    {
        var partial = Report with { Rows = Report.Rows.Where(row => row.Run.Scenario != Scenario.GrpcPerRequest).ToList() };
        Assert.Empty(Attribution.Of(partial));

        await ReportWriter.WriteAsync(partial, directory, CancellationToken.None);
        Assert.DoesNotContain("one factor at a time", await File.ReadAllTextAsync(Path.Combine(directory, "report.md")));
        Assert.DoesNotContain("one factor at a time", await File.ReadAllTextAsync(Path.Combine(directory, "report.html")));
    }
}
