using System.Text;

namespace LoadGenerator.Reports;

internal static partial class ReportHtml
{
    /// <summary>The attribution walk per batch size: its table, and a waterfall of CPU and one of bytes per request.</summary>
    private static void AppendAttribution(StringBuilder page, ComparisonReport report)
    {
        var walks = Attribution.Of(report);
        if (walks.Count == 0) return;
        page.Append($"<h2>{Encode(AttributionReport.Heading)}</h2>\n<p>{Encode(AttributionReport.Intro)}</p>\n");
        foreach (var walk in walks)
        {
            page.Append($"<h3>{Encode(AttributionReport.Records(walk.Size))}</h3>\n");
            AppendTable(page, AttributionReport.Table(walk));
            page.Append("<div class=\"timelines\">\n<figure><figcaption>Chain CPU-ms per request</figcaption>\n");
            AppendWaterfall(page, $"Chain CPU-ms per request, one factor at a time, {AttributionReport.Records(walk.Size)}", "CPU-ms per request",
                (walk.Start.Run.Scenario.Name, walk.Start.ChainCpuMsPerRequest), walk.Steps.Select(step => (step.Factor, step.CpuMs)).ToList(),
                walk.End.Run.Scenario.Name, ReportWriter.CpuMs);
            page.Append("</figure>\n");
            if (walk.BytesDifference is not null)
            {
                page.Append("<figure><figcaption>Chain bytes on the wire per request</figcaption>\n");
                AppendWaterfall(page, $"Chain bytes per request, one factor at a time, {AttributionReport.Records(walk.Size)}", "bytes per request",
                    (walk.Start.Run.Scenario.Name, walk.Start.ChainBytesPerRequest!.Value), walk.Steps.Select(step => (step.Factor, step.Bytes!.Value)).ToList(),
                    walk.End.Run.Scenario.Name, ReportWriter.Bytes);
                page.Append("</figure>\n");
            }
            page.Append("</div>\n");
            if (walk.OtherOrder.Count > 0) page.Append($"<p>{Encode(AttributionReport.OtherOrder(walk))}</p>\n");
        }
    }

    /// <summary>
    /// A waterfall: the walk's first row in full, each step a bar floating from where the last one ended (green where
    /// it saves, red where it costs), and the last row in full.
    /// </summary>
    internal static void AppendWaterfall(StringBuilder page, string title, string axisLabel, (string Name, double Value) start,
        IReadOnlyList<(string Factor, double Delta)> steps, string endName, Func<double, string> label)
    {
        const double width = 500, left = 100, right = 12, plotHeight = 190, labelsHeight = 130;
        const string total = "#4e79a7", saves = "#59a14f", costs = "#e15759";
        var levels = new List<double> { start.Value };
        foreach (var (_, delta) in steps) levels.Add(levels[^1] + delta);
        var max = NiceMax(levels.Max());
        var top = 12.0;
        var slot = (width - left - right) / (steps.Count + 2);
        var barWidth = slot * 0.6;
        double Y(double value) => top + plotHeight - value / max * plotHeight;
        double X(int column) => left + column * slot + (slot - barWidth) / 2;

        var body = new StringBuilder();
        for (var i = 0; i <= Ticks; i++)
        {
            var value = max * i / Ticks;
            body.Append($"""<line class="grid" x1="{F(left)}" y1="{F(Y(value))}" x2="{F(width - right)}" y2="{F(Y(value))}"/>""")
                .Append($"""<text x="{F(left - 6)}" y="{F(Y(value))}" text-anchor="end" dy="0.35em">{TickLabel(value)}</text>""");
        }

        void Column(int column, string name, double from, double to, string color, string text)
        {
            var (high, low) = (Math.Max(from, to), Math.Min(from, to));
            var height = Math.Max(1, Y(low) - Y(high));
            body.Append($"""<rect x="{F(X(column))}" y="{F(Y(high))}" width="{F(barWidth)}" height="{F(height)}" fill="{color}"><title>{Encode($"{name}: {text}")}</title></rect>""")
                .Append($"""<text x="{F(X(column) + barWidth / 2)}" y="{F(Y(high) - 4)}" text-anchor="middle">{Encode(text)}</text>""");
            var labelX = X(column) + barWidth / 2;
            body.Append($"""<text transform="translate({F(labelX)},{F(top + plotHeight + 12)}) rotate(-35)" text-anchor="end">{Encode(name)}</text>""");
        }

        Column(0, start.Name, 0, start.Value, total, label(start.Value));
        for (var i = 0; i < steps.Count; i++)
        {
            var (factor, delta) = steps[i];
            // A step is labelled by what it arrives at ("HTTP/1.1 → HTTP/2" as "HTTP/2"): short enough to slant under its bar.
            Column(i + 1, factor[(factor.IndexOf("→ ", StringComparison.Ordinal) + 1)..].Trim(), levels[i], levels[i + 1], delta < 0 ? saves : costs,
                (delta < 0 ? "−" : "+") + label(Math.Abs(delta)));
            // The connector shows where the previous bar left off.
            body.Append($"""<line class="axis" stroke-dasharray="3 3" x1="{F(X(i) + barWidth)}" y1="{F(Y(levels[i]))}" x2="{F(X(i + 1))}" y2="{F(Y(levels[i]))}"/>""");
        }
        Column(steps.Count + 1, endName, 0, levels[^1], total, label(levels[^1]));

        body.Append($"""<line class="axis" x1="{F(left)}" y1="{F(top)}" x2="{F(left)}" y2="{F(top + plotHeight)}"/>""")
            .Append($"""<line class="axis" x1="{F(left)}" y1="{F(top + plotHeight)}" x2="{F(width - right)}" y2="{F(top + plotHeight)}"/>""")
            .Append($"""<text transform="rotate(-90)" x="{F(-(top + plotHeight / 2))}" y="14" text-anchor="middle">{Encode(axisLabel)}</text>""");
        AppendSvg(page, title, width, top + plotHeight + labelsHeight, steps.Count + 2, body);
    }
}
