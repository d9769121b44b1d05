using System.Globalization;
using System.Text;

namespace LoadGenerator.Reports;

internal static partial class ReportHtml
{
    /// <summary>A single run as one self-contained page (<c>-O html</c>): its figures, its seconds, its latency distribution.</summary>
    public static string Render(RunReport report)
    {
        var run = report.Run;
        var page = new StringBuilder();
        AppendHead(page, $"{run.Settings.Target} run against {run.Settings.Address}",
            $"Started {ReportWriter.StartedAt(report.StartedAt)} · {ReportWriter.MachineLine(report.Machine)} · {run.ConnectionShape}", report.Labels);
        AppendTable(page, (
            [new("sent", true), new("ok", true), new("req/s", true), new("mean ms", true), new("p50 ms", true), new("p90 ms", true),
             new("p99 ms", true), new("p99.9 ms", true), new("max ms", true), new("errors", false)],
            [[
                run.Sent.ToString("N0", CultureInfo.InvariantCulture), run.Succeeded.ToString("N0", CultureInfo.InvariantCulture), ReportWriter.Throughput(run),
                ReportWriter.Ms(run.Latency.MeanMs), ReportWriter.Ms(run.Latency.P50Ms), ReportWriter.Ms(run.Latency.P90Ms), ReportWriter.Ms(run.Latency.P99Ms),
                ReportWriter.Ms(run.Latency.P999Ms), ReportWriter.Ms(run.Latency.MaxMs), ReportWriter.Errors(run),
            ]]));
        if (run.LatencyHistogram is not null) AppendDistribution(page, "Latency distribution of the successes", [Line(run)]);
        if (run.PerSecond is { Count: > 0 } seconds)
        {
            page.Append("<h2>Second by second</h2>\n");
            AppendTable(page, (
                [new("second", true), new("ok", true), new("p50 ms", true), new("p90 ms", true), new("p99 ms", true)],
                seconds.Select((s, i) => new[] { i.ToString(CultureInfo.InvariantCulture), s.Succeeded.ToString("N0", CultureInfo.InvariantCulture),
                    ReportWriter.Ms(s.P50Ms), ReportWriter.Ms(s.P90Ms), ReportWriter.Ms(s.P99Ms) }).ToList()));
        }
        page.Append("</body>\n</html>\n");
        return page.ToString();
    }
}
