using System.Globalization;
using System.Text;

namespace LoadGenerator.Reports;

/// <summary>
/// The same comparison run several times. First what holds across machines: ratios inside each run (a row against
/// its ceiling, one transport against the other), then each row's figures; every cell the median and the spread
/// (min–max) over the runs.
/// </summary>
public static class RepeatSummary
{
    private sealed record Ratio(string Name, Func<ComparisonReport, double?> Of, bool Percent, string Format = "0.0");

    private static readonly Ratio[] Ratios =
    [
        new("REST (JSON, HTTP/1.1), share of its ceiling (one no-op REST hop)", r => Row(r, Scenario.Rest)?.OfCeiling, Percent: true),
        new("gRPC with a stream per request, share of the unary ceiling", r => Row(r, Scenario.GrpcPerRequest)?.OfCeiling, Percent: true),
        new("gRPC over shared streams, share of the unary ceiling", r => Row(r, Scenario.GrpcShared)?.OfCeiling, Percent: true),
        new("gRPC streaming edge, share of the streaming ceiling", r => Row(r, Scenario.GrpcStreamShared)?.OfCeiling, Percent: true),
        new("gRPC streaming edge over batched shared streams, share of the streaming ceiling", r => Row(r, Scenario.GrpcStreamBatched)?.OfCeiling, Percent: true),
        new("The load generator's share of the machine, at gRPC over shared streams", r => MachineShare(r, Scenario.GrpcShared), Percent: true),
        new("A REST hop (JSON, HTTP/1.1) ÷ its floor (twice a no-op REST end)", r => Row(r, Scenario.Rest)?.HopOfFloor, Percent: false, Format: "0.00"),
        new("A REST hop (protobuf, HTTP/2) ÷ the same floor", r => Row(r, Scenario.RestProtobufH2)?.HopOfFloor, Percent: false, Format: "0.00"),
        new("A gRPC hop over shared streams ÷ its floor (twice a no-op unary end)", r => Row(r, Scenario.GrpcShared)?.HopOfFloor, Percent: false, Format: "0.00"),
        new("A gRPC hop over batched shared streams ÷ the same floor", r => Row(r, Scenario.GrpcBatched)?.HopOfFloor, Percent: false, Format: "0.00"),
        new("The streaming edge's middle hop (shared streams) ÷ its floor (twice a no-op bidi echo end)", r => Row(r, Scenario.GrpcStreamShared)?.HopOfFloor, Percent: false, Format: "0.00"),
        new("The streaming edge's middle hop (batched shared streams) ÷ the same floor", r => Row(r, Scenario.GrpcStreamBatched)?.HopOfFloor, Percent: false, Format: "0.00"),
        new("A REST hop (JSON, HTTP/1.1) ÷ its floor at the same rate (the no-op loaded at the row's rate)", r => Row(r, Scenario.Rest)?.HopOfFloorAtRate, Percent: false, Format: "0.00"),
        new("A REST hop (protobuf, HTTP/2) ÷ its floor at the same rate", r => Row(r, Scenario.RestProtobufH2)?.HopOfFloorAtRate, Percent: false, Format: "0.00"),
        new("A gRPC hop over shared streams ÷ its floor at the same rate", r => Row(r, Scenario.GrpcShared)?.HopOfFloorAtRate, Percent: false, Format: "0.00"),
        new("A gRPC hop over batched shared streams ÷ its floor at the same rate", r => Row(r, Scenario.GrpcBatched)?.HopOfFloorAtRate, Percent: false, Format: "0.00"),
        new("CPU per request, gRPC over shared streams ÷ over batched shared streams", r => Divide(r, Scenario.GrpcShared, Scenario.GrpcBatched, row => row.ChainCpuMsPerRequest), Percent: false),
        new("CPU per request, REST (JSON, HTTP/1.1) ÷ REST (protobuf, HTTP/2)", r => Divide(r, Scenario.Rest, Scenario.RestProtobufH2, row => row.ChainCpuMsPerRequest), Percent: false),
        new("CPU per request, REST (protobuf, HTTP/2) ÷ gRPC over shared streams", r => Divide(r, Scenario.RestProtobufH2, Scenario.GrpcShared, row => row.ChainCpuMsPerRequest), Percent: false),
        new("CPU per request, REST (JSON, HTTP/1.1) ÷ gRPC over shared streams", r => Divide(r, Scenario.Rest, Scenario.GrpcShared, row => row.ChainCpuMsPerRequest), Percent: false),
        new("CPU per request, REST (JSON, HTTP/1.1) ÷ gRPC with a stream per request", r => Divide(r, Scenario.Rest, Scenario.GrpcPerRequest, row => row.ChainCpuMsPerRequest), Percent: false),
        new("Throughput, gRPC over shared streams ÷ REST (JSON, HTTP/1.1)", r => Divide(r, Scenario.GrpcShared, Scenario.Rest, row => row.Run.RequestsPerSecond), Percent: false),
        new("Throughput, gRPC streaming edge ÷ REST (JSON, HTTP/1.1)", r => Divide(r, Scenario.GrpcStreamShared, Scenario.Rest, row => row.Run.RequestsPerSecond), Percent: false),
    ];

    public static string Markdown(IReadOnlyList<ComparisonReport> reports)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Ratios inside each run, median of {reports.Count} runs (min–max):")
            .AppendLine()
            .AppendLine("| inside one run | median (min–max) |")
            .AppendLine("| --- | ---: |");
        foreach (var ratio in Ratios)
        {
            var values = reports.Select(ratio.Of).OfType<double>().ToList();
            if (values.Count == 0) continue;
            text.AppendLine(ratio.Percent
                ? $"| {ratio.Name} | {Spread(values.Select(v => 100 * v), "N0", "%")} |"
                : $"| {ratio.Name} | {Spread(values, ratio.Format, "×")} |");
        }
        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Each row, median of {reports.Count} runs (min–max):")
            .AppendLine()
            .AppendLine("| run | req/s | p50 ms | p99 ms | chain CPU-ms/req | others % of core |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var first in reports[0].Rows)
        {
            var rows = reports.Select(r => r.Rows.Single(row => SameRow(row, first))).ToList();
            text.AppendLine($"| {first.Run.Name} | {Spread(rows.Select(r => r.Run.RequestsPerSecond), "N0")} | {Spread(rows.Select(r => r.Run.Latency.P50Ms), "N2")} " +
                $"| {Spread(rows.Select(r => r.Run.Latency.P99Ms), "N2")} | {Spread(rows.Select(r => r.ChainCpuMsPerRequest), "N3")} " +
                $"| {Spread(rows.Select(r => r.Others.PercentOfCore), "N1", "%")} |");
        }
        return text.ToString();
    }

    /// <summary>"median (min–max)", with the unit after each figure.</summary>
    public static string Spread(IEnumerable<double> values, string format, string unit = "")
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture) + unit;
        return $"{F(median)} ({F(sorted[0])}–{F(sorted[^1])})";
    }

    /// <summary>A report's row of one scenario (at its first batch size): found by what it measures, never by its display name.</summary>
    private static ComparisonRow? Row(ComparisonReport report, Scenario scenario) =>
        report.Rows.FirstOrDefault(r => r.Run.Scenario == scenario);

    /// <summary>The same row in two runs: the same scenario at the same batch size.</summary>
    private static bool SameRow(ComparisonRow a, ComparisonRow b) =>
        a.Run.Scenario == b.Run.Scenario && a.Run.Settings.Size == b.Run.Settings.Size;

    /// <summary>The load generator's CPU as a share of every core while it loaded <paramref name="scenario"/>'s row: what a guest on the machine it measures takes.</summary>
    private static double? MachineShare(ComparisonReport report, Scenario scenario) =>
        Row(report, scenario) is { } row && report.Machine.Cores > 0 ? row.LoadGenerator.PercentOfCore / 100 / report.Machine.Cores : null;

    private static double? Divide(ComparisonReport report, Scenario top, Scenario bottom, Func<ComparisonRow, double> figure) =>
        Row(report, top) is { } a && Row(report, bottom) is { } b && figure(b) > 0 ? figure(a) / figure(b) : null;
}
