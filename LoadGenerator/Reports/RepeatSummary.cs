using System.Globalization;
using System.Text;
using ServiceDefaults;

namespace LoadGenerator.Reports;

/// <summary>
/// The same comparison run several times. First what holds across machines: ratios inside each run (a row against
/// its ceiling, one transport against the other), then each row's figures; every cell the median and the spread
/// (min–max) over the runs.
/// </summary>
public static class RepeatSummary
{
    private sealed record Ratio(string Name, Func<ComparisonReport, double?> Of, bool Percent);

    private static readonly Ratio[] Ratios =
    [
        new("REST, share of its ceiling (one no-op REST hop)", r => Row(r, TargetKind.Rest)?.OfCeiling, Percent: true),
        new("gRPC with a stream per request, share of the unary ceiling", r => Row(r, TargetKind.GrpcUnary, StreamMode.PerRequest)?.OfCeiling, Percent: true),
        new("gRPC over shared streams, share of the unary ceiling", r => Row(r, TargetKind.GrpcUnary, StreamMode.Shared)?.OfCeiling, Percent: true),
        new("gRPC streaming edge, share of the streaming ceiling", r => Row(r, TargetKind.GrpcStream)?.OfCeiling, Percent: true),
        new("CPU per request, REST ÷ gRPC over shared streams", r => Divide(r, TargetKind.Rest, null, TargetKind.GrpcUnary, StreamMode.Shared, row => row.ChainCpuMsPerRequest), Percent: false),
        new("CPU per request, REST ÷ gRPC with a stream per request", r => Divide(r, TargetKind.Rest, null, TargetKind.GrpcUnary, StreamMode.PerRequest, row => row.ChainCpuMsPerRequest), Percent: false),
        new("Throughput, gRPC over shared streams ÷ REST", r => Divide(r, TargetKind.GrpcUnary, StreamMode.Shared, TargetKind.Rest, null, row => row.Run.RequestsPerSecond), Percent: false),
        new("Throughput, gRPC streaming edge ÷ REST", r => Divide(r, TargetKind.GrpcStream, null, TargetKind.Rest, null, row => row.Run.RequestsPerSecond), Percent: false),
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
                : $"| {ratio.Name} | {Spread(values, "0.0", "×")} |");
        }
        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Each row, median of {reports.Count} runs (min–max):")
            .AppendLine()
            .AppendLine("| run | req/s | p50 ms | p99 ms | chain CPU-ms/req | others % of core |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var name in reports[0].Rows.Select(r => r.Run.Name))
        {
            var rows = reports.Select(r => r.Rows.Single(row => row.Run.Name == name)).ToList();
            text.AppendLine($"| {name} | {Spread(rows.Select(r => r.Run.RequestsPerSecond), "N0")} | {Spread(rows.Select(r => r.Run.Latency.P50Ms), "N2")} " +
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

    /// <summary>A report's row of one kind (at its first batch size): found by what it measures, never by its display name.</summary>
    private static ComparisonRow? Row(ComparisonReport report, TargetKind target, StreamMode? streamMode = null) =>
        report.Rows.FirstOrDefault(r => r.Run.Settings.Target == target && (streamMode is null || r.Run.Settings.StreamMode == streamMode));

    private static double? Divide(ComparisonReport report, TargetKind top, StreamMode? topMode, TargetKind bottom, StreamMode? bottomMode, Func<ComparisonRow, double> figure) =>
        Row(report, top, topMode) is { } a && Row(report, bottom, bottomMode) is { } b && figure(b) > 0 ? figure(a) / figure(b) : null;
}
