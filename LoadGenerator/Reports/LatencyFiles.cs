using System.Globalization;
using System.Text;
using HdrHistogram;
using LoadGenerator.Runs;

namespace LoadGenerator.Reports;

/// <summary>
/// Each row's whole latency distribution in <c>latency/</c> beside its report: HdrHistogram's percentile distribution as
/// its plotter reads it (<c>.hgrm</c>) and the same as CSV, in milliseconds. Written from report.json's histograms alone,
/// so a report read back writes them again.
/// </summary>
public static class LatencyFiles
{
    public const string Folder = "latency";

    /// <summary>The rows that kept their histogram, each with the name its two files share: its place in the report and a slug of its name, "01-rest".</summary>
    public static IReadOnlyList<(ComparisonRow Row, string Name)> Named(ComparisonReport report)
    {
        var digits = Math.Max(2, report.Rows.Count.ToString(CultureInfo.InvariantCulture).Length);
        return report.Rows
            .Select((row, i) => (Row: row, Name: (i + 1).ToString("D" + digits, CultureInfo.InvariantCulture) + "-" + Slug(row.Run.Name)))
            .Where(named => named.Row.Run.LatencyHistogram is not null)
            .ToList();
    }

    public static async Task WriteAsync(ComparisonReport report, string directory, CancellationToken ct)
    {
        var named = Named(report);
        if (named.Count == 0) return;
        var folder = Directory.CreateDirectory(Path.Combine(directory, Folder)).FullName;
        foreach (var (row, name) in named)
        {
            var histogram = LatencyHistogram.Decode(row.Run.LatencyHistogram!);
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".hgrm"), Distribution(histogram, csv: false), ct);
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".csv"), Distribution(histogram, csv: true), ct);
        }
    }

    /// <summary>The histogram's percentile distribution in milliseconds, as HdrHistogram prints it: its .hgrm text, or CSV.</summary>
    public static string Distribution(HistogramBase histogram, bool csv)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        histogram.OutputPercentileDistribution(text, outputValueUnitScalingRatio: LatencyHistogram.UnitsPerMillisecond, useCsvFormat: csv);
        return text.ToString();
    }

    /// <summary>report.md's links to the files; empty when no row kept its histogram (reports written before they were kept).</summary>
    internal static string Markdown(ComparisonReport report)
    {
        var named = Named(report);
        if (named.Count == 0) return "";
        var markdown = new StringBuilder($"""

            ## Latency distribution

            Each row's whole latency distribution (its successes, in ms) in `{Folder}/`: `.hgrm` as HdrHistogram prints it (its plotter reads it), and the same as CSV.


            """);
        ReportWriter.AppendMarkdownLine(markdown, ["run", "percentile distribution"]);
        ReportWriter.AppendMarkdownLine(markdown, ["---", "---"]);
        foreach (var (row, name) in named)
        {
            ReportWriter.AppendMarkdownLine(markdown, [row.Run.Name, $"[{name}.hgrm]({Folder}/{name}.hgrm) · [csv]({Folder}/{name}.csv)"]);
        }
        return markdown.ToString();
    }

    /// <summary>Lower-case ASCII letters and digits, every other run of characters one dash: "REST (JSON) over HTTP/1.1" → "rest-json-over-http-1-1".</summary>
    public static string Slug(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var trimmed = slug.ToString().TrimEnd('-');
        return trimmed.Length > 0 ? trimmed : "row";
    }
}
