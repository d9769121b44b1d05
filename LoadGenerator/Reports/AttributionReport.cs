using System.Globalization;
using System.Text;

namespace LoadGenerator.Reports;

/// <summary>The attribution walk as the report shows it: a table per batch size, and a waterfall per measure.</summary>
internal static class AttributionReport
{
    internal const string Heading = "Why: one factor at a time";

    internal const string Intro =
        "From REST (JSON over HTTP/1.1) to gRPC over shared streams, each step changes one thing: the HTTP version (one " +
        "HTTP/2 connection instead of a pool of HTTP/1.1 ones), the encoding (protobuf bodies instead of JSON), the framing " +
        "(gRPC, an HTTP/2 stream per request), then shared streams between the services. Every figure is a row of this run " +
        "at the same batch size; a step's share is its part of the whole walk's difference, negative when it goes against it. " +
        "Steps of a few percent of a row's CPU are within what repeated runs vary by.";

    public static string Markdown(ComparisonReport report) =>
        Attribution.Of(report).Count == 0 ? "" : $"## {Heading}\n\n{Intro}\n\n{Walks(report, "###")}";

    /// <summary>Each batch size's walk under a heading of <paramref name="level"/>: its table, and the first two factors the other way round.</summary>
    public static string Walks(ComparisonReport report, string level)
    {
        var text = new StringBuilder();
        foreach (var walk in Attribution.Of(report))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{level} {Records(walk.Size)}").AppendLine();
            text.AppendLine(ReportWriter.Markdown(Table(walk)));
            if (walk.OtherOrder.Count > 0) text.AppendLine(OtherOrder(walk)).AppendLine();
        }
        return text.ToString();
    }

    /// <summary>The walk as cells, so the Markdown and the HTML show the same figures.</summary>
    internal static (IReadOnlyList<ReportWriter.Column> Columns, IReadOnlyList<string[]> Rows) Table(Attribution walk)
    {
        ReportWriter.Column[] columns =
        [
            new("step", false), new("arrives at", false), new("chain CPU-ms/req", true), new("Δ CPU-ms/req", true), new("share", true),
            new("chain B/req", true), new("Δ B/req", true), new("share", true),
        ];
        List<string[]> rows = [["start", walk.Start.Run.Scenario.Name, ReportWriter.CpuMs(walk.Start.ChainCpuMsPerRequest), "", "", Bytes(walk.Start.ChainBytesPerRequest), "", ""]];
        rows.AddRange(walk.Steps.Select(step => (string[])
        [
            step.Factor, step.To.Run.Scenario.Name, ReportWriter.CpuMs(step.To.ChainCpuMsPerRequest), SignedCpu(step.CpuMs),
            Attribution.Share(step.CpuMs, walk.CpuMsDifference), Bytes(step.To.ChainBytesPerRequest), SignedBytes(step.Bytes),
            step.Bytes is { } bytes ? Attribution.Share(bytes, walk.BytesDifference) : "–",
        ]));
        rows.Add(
        [
            "whole walk", walk.End.Run.Scenario.Name, ReportWriter.CpuMs(walk.End.ChainCpuMsPerRequest), SignedCpu(walk.CpuMsDifference), "100%",
            Bytes(walk.End.ChainBytesPerRequest), SignedBytes(walk.BytesDifference), walk.BytesDifference is null ? "–" : "100%",
        ]);
        return (columns, rows);
    }

    internal static string OtherOrder(Attribution walk) =>
        "The first two factors the other way round: " +
        string.Join("; then ", walk.OtherOrder.Select(step => $"{step.Factor} {SignedCpu(step.CpuMs)} CPU-ms/req, {SignedBytes(step.Bytes)} B/req")) +
        ". Where the two orders disagree, the factors interact.";

    internal static string Records(int size) => $"{size.ToString("N0", CultureInfo.InvariantCulture)} records per batch";

    internal static string Bytes(double? bytes) => bytes is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string SignedCpu(double cpuMs) => cpuMs.ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture);

    private static string SignedBytes(double? bytes) => bytes is { } b ? b.ToString("+#,0;−#,0;0", CultureInfo.InvariantCulture) : "–";
}
