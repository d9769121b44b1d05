using System.Globalization;
using System.Text;
using HdrHistogram;
using LoadGenerator.Runs;
using Protos;

namespace LoadGenerator.Reports;

/// <summary>
/// The latency distribution charts, read as HdrHistogram's plots are: each row's latency at every percentile, the
/// percentile on a log scale of 1/(1-p) so that each step right is ten times rarer, and the tail shows whole.
/// </summary>
internal static partial class ReportHtml
{
    // Lines are rows, not roles: a chart may hold every row of a batch size, so ten hues that stay apart.
    private static readonly string[] RowPalette =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>Above this ratio between the slowest and the fastest latency drawn, the latency axis is logarithmic: a linear one would flatten the fast rows onto its floor.</summary>
    private const double LogScaleSpan = 100;

    private sealed record DistributionLine(RunResult Run, HistogramBase Histogram, IReadOnlyList<(double Decades, double Ms)> Points);

    /// <summary>One chart per batch size; the ceilings (no batch at all) on the default size's, or on their own when that size was not measured.</summary>
    private static void AppendLatencyDistributions(StringBuilder page, ComparisonReport report)
    {
        var named = LatencyFiles.Named(report);
        if (named.Count == 0) return;
        var sizes = named.Where(n => !n.Row.Run.Scenario.IsCeiling).Select(n => n.Row.Run.Settings.Size).ToHashSet();
        int? ChartOf(RunResult run) =>
            !run.Scenario.IsCeiling ? run.Settings.Size : sizes.Contains(BatchSpec.DefaultSize) ? BatchSpec.DefaultSize : null;

        page.Append("<h2>Latency distribution</h2>\n<p>")
            .Append(Encode("Each row's latency at every percentile of its successes, from its whole HdrHistogram; dashed lines are the ceilings. " +
                "The same as HdrHistogram prints it, per row, beside this page: "))
            .AppendJoin(", ", named.Select(n => $"""<a href="{LatencyFiles.Folder}/{n.Name}.hgrm">{LatencyFiles.Folder}/{n.Name}.hgrm</a>"""))
            .Append(" (and .csv).</p>\n");
        foreach (var chart in named.GroupBy(n => ChartOf(n.Row.Run)))
        {
            var caption = chart.Key is { } size
                ? $"Batches of {size.ToString("N0", CultureInfo.InvariantCulture)} records" + (chart.Any(n => n.Row.Run.Scenario.IsCeiling) ? ", and the ceilings" : "")
                : "The ceilings: one no-op hop of each shape";
            AppendDistribution(page, caption, chart.Select(n => Line(n.Row.Run)).ToList());
        }
    }

    /// <summary>The histogram's percentile points, as its .hgrm file lists them, less the last at 100%: 1/(1-p) has no place for it.</summary>
    private static DistributionLine Line(RunResult run)
    {
        var histogram = LatencyHistogram.Decode(run.LatencyHistogram!);
        var points = histogram.Percentiles(5)
            .Where(p => p.PercentileLevelIteratedTo < 100)
            .Select(p => (-Math.Log10(1 - p.PercentileLevelIteratedTo / 100), p.ValueIteratedTo / LatencyHistogram.UnitsPerMillisecond))
            .ToList();
        return new DistributionLine(run, histogram, points);
    }

    private static void AppendDistribution(StringBuilder page, string caption, IReadOnlyList<DistributionLine> lines)
    {
        const double width = 1000, left = 64, right = 24, plotHeight = 340;
        page.Append($"<figure><figcaption>{Encode(caption)}</figcaption>\n");
        var body = new StringBuilder();
        var top = AppendLegend(body, lines.Select((line, i) => (line.Run.Name, RowPalette[i % RowPalette.Length])), left, width - right, 8) + 12;
        var plotWidth = width - left - right;
        var points = lines.SelectMany(line => line.Points).ToList();
        // As far right as the rarest percentile any row resolved, as HdrHistogram's plotter draws it: 99.999% takes 100,000 successes.
        var decades = Math.Max(2, points.Select(p => p.Decades).DefaultIfEmpty().Max());
        var axis = LatencyAxis.Spanning(points.Select(p => p.Ms).Where(ms => ms > 0).ToList());
        double X(double decade) => left + decade / decades * plotWidth;
        double Y(double ms) => top + plotHeight - axis.Fraction(ms) * plotHeight;

        for (var decade = 0; decade <= decades; decade++)
        {
            body.Append($"""<line class="grid" x1="{F(X(decade))}" y1="{F(top)}" x2="{F(X(decade))}" y2="{F(top + plotHeight)}"/>""")
                .Append($"""<text x="{F(X(decade))}" y="{F(top + plotHeight + 16)}" text-anchor="middle">{PercentileLabel(decade)}</text>""");
        }
        foreach (var ms in axis.TickValues)
        {
            body.Append($"""<line class="grid" x1="{F(left)}" y1="{F(Y(ms))}" x2="{F(width - right)}" y2="{F(Y(ms))}"/>""")
                .Append($"""<text x="{F(left - 6)}" y="{F(Y(ms))}" text-anchor="end" dy="0.35em">{TickLabel(ms)}</text>""");
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var (run, histogram, line) = lines[i];
            var path = string.Join(' ', line.Select((p, j) => $"{(j == 0 ? 'M' : 'L')}{F(X(p.Decades))},{F(Y(p.Ms))}"));
            var dashed = run.Scenario.IsCeiling ? """ stroke-dasharray="6 4" """ : " ";
            var tooltip = $"{run.Name}: p50 {Ms(histogram, 50)} ms, p99 {Ms(histogram, 99)} ms, p99.9 {Ms(histogram, 99.9)} ms, " +
                $"max {ReportWriter.Ms(histogram.GetMaxValue() / LatencyHistogram.UnitsPerMillisecond)} ms of {histogram.TotalCount.ToString("N0", CultureInfo.InvariantCulture)} successes";
            body.Append($"""<path d="{path}" fill="none" stroke="{RowPalette[i % RowPalette.Length]}" stroke-width="2"{dashed}stroke-linejoin="round"><title>{Encode(tooltip)}</title></path>""");
        }

        body.Append($"""<line class="axis" x1="{F(left)}" y1="{F(top)}" x2="{F(left)}" y2="{F(top + plotHeight)}"/>""")
            .Append($"""<line class="axis" x1="{F(left)}" y1="{F(top + plotHeight)}" x2="{F(width - right)}" y2="{F(top + plotHeight)}"/>""")
            .Append($"""<text x="{F(left + plotWidth / 2)}" y="{F(top + plotHeight + 38)}" text-anchor="middle">percentile (log scale of 1/(1−p): each step right is ten times rarer)</text>""")
            .Append($"""<text transform="rotate(-90)" x="{F(-(top + plotHeight / 2))}" y="14" text-anchor="middle">{(axis.Log ? "latency ms (log scale)" : "latency ms")}</text>""");
        AppendSvg(page, $"Latency distribution: {caption}", width, top + plotHeight + 50, points.Count, body);
        page.Append("</figure>\n");
    }

    private static string Ms(HistogramBase histogram, double percentile) =>
        ReportWriter.Ms(histogram.GetValueAtPercentile(percentile) / LatencyHistogram.UnitsPerMillisecond);

    /// <summary>0%, 90%, 99%, 99.9%, …: the percentile <paramref name="decades"/> steps of ten to the right.</summary>
    private static string PercentileLabel(int decades) => decades switch
    {
        0 => "0%",
        1 => "90%",
        _ => "99" + (decades > 2 ? "." + new string('9', decades - 2) : "") + "%",
    };

    /// <summary>The latency axis: from 0 on a linear scale, or whole decades on a log scale when the lines span <see cref="LogScaleSpan"/> or more.</summary>
    private sealed record LatencyAxis(bool Log, double Low, double High)
    {
        public static LatencyAxis Spanning(IReadOnlyList<double> ms)
        {
            var (low, high) = ms.Count > 0 ? (ms.Min(), ms.Max()) : (1, 1);
            return high / low >= LogScaleSpan
                ? new LatencyAxis(true, Math.Pow(10, Math.Floor(Math.Log10(low))), Math.Pow(10, Math.Ceiling(Math.Log10(high))))
                : new LatencyAxis(false, 0, NiceMax(high));
        }

        /// <summary>How far up the axis a latency sits, 0 at the bottom and 1 at the top.</summary>
        public double Fraction(double ms) => Log
            ? (Math.Log10(Math.Max(ms, Low)) - Math.Log10(Low)) / (Math.Log10(High) - Math.Log10(Low))
            : ms / High;

        /// <summary>Round values: five steps on a linear axis; on a log axis 1, 2 and 5 of each decade, or only the powers of ten past four decades.</summary>
        public IEnumerable<double> TickValues
        {
            get
            {
                if (!Log) return Enumerable.Range(0, Ticks + 1).Select(i => High * i / Ticks);
                var decades = (int)Math.Round(Math.Log10(High / Low));
                double[] steps = decades > 4 ? [1] : [1, 2, 5];
                return Enumerable.Range(0, decades + 1)
                    .SelectMany(decade => steps.Select(step => step * Low * Math.Pow(10, decade)))
                    .Where(ms => ms <= High * 1.0001);
            }
        }
    }
}
