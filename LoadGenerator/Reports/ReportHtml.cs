using System.Globalization;
using System.Net;
using System.Text;

namespace LoadGenerator.Reports;

/// <summary>The report as one self-contained page: the table and inline SVG charts, with nothing fetched or scripted.</summary>
internal static partial class ReportHtml
{
    private const double Width = 1000;
    private const double NameWidth = 270;
    private const double ValueWidth = 190;
    private const double BarThickness = 16;
    private const double BarGap = 3;
    private const double GroupPadding = 10;
    private const int Ticks = 5;
    private const string LoadGeneratorColor = "#9c9c9c";
    internal static readonly string[] RolePalette = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#e15759"];
    private static readonly string[] PercentileColors = ["#9ecae1", "#6baed6", "#3182bd", "#08519c"];

    internal const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
               max-width: 1100px; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
        h1 { font-size: 1.6rem; margin-bottom: .3rem; }
        h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
        .machine { color: #555; margin-top: 0; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; font-size: .85rem; }
        th, td { padding: .3rem .5rem; border-bottom: 1px solid #e5e5e5; text-align: left; vertical-align: top; }
        th { background: #f6f6f6; font-weight: 600; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        svg.chart { display: block; width: 100%; height: auto; margin: .5rem 0 1rem; }
        svg text { font-size: 12px; fill: #333; }
        svg text.inside { font-size: 11px; fill: #fff; }
        svg .axis { stroke: #888; }
        svg .grid { stroke: #eee; }
        .timelines { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 1rem; }
        figure { margin: 0; }
        figcaption { font-weight: 600; font-size: .9rem; }
        """;

    private sealed record Segment(string Series, string Color, double Value, string Label, string Tooltip);

    private sealed record Bar(IReadOnlyList<Segment> Segments, string Label);

    private sealed record Group(string Name, IReadOnlyList<Bar> Bars);

    /// <summary>Gives each role of the chain the same colour in every chart, whichever transport it runs on.</summary>
    private sealed class RoleColors
    {
        private readonly Dictionary<string, string> byRole = [];

        public string Of(string role)
        {
            if (!byRole.TryGetValue(role, out var color))
            {
                color = RolePalette[byRole.Count % RolePalette.Length];
                byRole.Add(role, color);
            }
            return color;
        }
    }

    public static string Render(ComparisonReport report)
    {
        var colors = new RoleColors();
        var page = new StringBuilder();
        AppendHead(page, ReportWriter.Title, $"Started {ReportWriter.StartedAt(report.StartedAt)} · {ReportWriter.MachineLine(report.Machine)}", report.Labels);
        if (report.Cancelled) page.Append($"<p><strong>{Encode(ReportWriter.CancelledLine(report))}</strong></p>\n");
        page.Append($"<p>{Encode(report.Telemetry)}</p>\n");
        AppendTable(page, ReportWriter.Table(report));
        AppendWire(page, report);
        AppendReplicas(page, report);
        AppendAttribution(page, report);
        page.Append("<h2>What else used the machine</h2>\n");
        AppendTable(page, ReportWriter.OthersTable(report));

        page.Append("<h2>Throughput</h2>\n");
        AppendBarChart(page, "Requests per second per run", "requests per second (higher is better)",
            report.Rows.Select(row => new Group(row.Run.Name,
            [
                Single("req/s", RolePalette[0], row.Run.RequestsPerSecond,
                    $"{ReportWriter.Throughput(row.Run.RequestsPerSecond)} req/s", row.Run.Name),
            ])).ToList());

        page.Append("<h2>Latency</h2>\n");
        AppendBarChart(page, "Latency percentiles per run", "milliseconds (lower is better)",
            report.Rows.Select(row => new Group(row.Run.Name, LatencyBars(row.Run))).ToList());
        AppendLatencyDistributions(page, report);

        page.Append("<h2>CPU per request</h2>\n");
        AppendBarChart(page, "CPU-ms per request per service, and the load generator's", "CPU-ms per request (lower is better)",
            report.Rows.Select(row => new Group(row.Run.Name, CpuBars(row, colors))).ToList());

        page.Append("<h2>CPU over time</h2>\n<div class=\"timelines\">\n");
        foreach (var row in report.Rows)
        {
            AppendTimeline(page, row, colors);
        }
        page.Append($"""
            </div>
            <h2>How to read this</h2>
            <p>{Encode(ReportWriter.HowToRead)}</p>
            </body>
            </html>

            """);
        return page.ToString();
    }

    /// <summary>The bytes on each hop per request; nothing for a report without.</summary>
    private static void AppendWire(StringBuilder page, ComparisonReport report)
    {
        if (ReportWriter.WireTable(report) is not { Rows.Count: > 0 } table) return;
        page.Append($"<h2>{Encode(ReportWriter.WireTitle)}</h2>\n");
        AppendTable(page, table);
    }

    /// <summary>How requests spread over replicas; nothing for a report without.</summary>
    private static void AppendReplicas(StringBuilder page, ComparisonReport report)
    {
        if (ReplicasReport.Table(report) is not { Rows.Count: > 0 } table) return;
        page.Append($"<h2>{Encode(ReplicasReport.Title)}</h2>\n<p>{Encode(ReplicasReport.Note)}</p>\n");
        AppendTable(page, table);
    }

    private static IReadOnlyList<Bar> LatencyBars(RunResult run)
    {
        (string Percentile, double Ms)[] percentiles =
            [("p50", run.Latency.P50Ms), ("p90", run.Latency.P90Ms), ("p99", run.Latency.P99Ms), ("p99.9", run.Latency.P999Ms)];
        return percentiles.Select((p, i) =>
            Single(p.Percentile, PercentileColors[i], p.Ms, $"{p.Percentile} {ReportWriter.Ms(p.Ms)} ms", run.Name)).ToList();
    }

    /// <summary>The chain's services stacked, and the load generator beside them: it is not part of the chain's cost.</summary>
    private static IReadOnlyList<Bar> CpuBars(ComparisonRow row, RoleColors colors)
    {
        var services = row.Services.Select(service =>
        {
            var role = ReportWriter.Role(service.Service);
            var cpuMs = ReportWriter.CpuMs(service.CpuMsPerRequest);
            return new Segment(role, colors.Of(role), service.CpuMsPerRequest, cpuMs,
                $"{row.Run.Name} · {service.Service}: {cpuMs} CPU-ms/request");
        }).ToList();
        return
        [
            new Bar(services, $"chain {ReportWriter.CpuMs(row.ChainCpuMsPerRequest)}"),
            Single("load generator", LoadGeneratorColor, row.LoadGenerator.CpuMsPerRequest,
                $"load gen {ReportWriter.CpuMs(row.LoadGenerator.CpuMsPerRequest)}", row.Run.Name),
        ];
    }

    private static Bar Single(string series, string color, double value, string label, string runName) =>
        new([new Segment(series, color, value, label, $"{runName} · {label}")], label);

    internal static void AppendTable(StringBuilder page, (IReadOnlyList<ReportWriter.Column> Columns, IReadOnlyList<string[]> Rows) table)
    {
        var (columns, rows) = table;
        page.Append("<div class=\"scroll\"><table>\n<thead><tr>");
        foreach (var column in columns)
        {
            page.Append(column.Numeric ? "<th class=\"num\">" : "<th>").Append(Encode(column.Title)).Append("</th>");
        }
        page.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            page.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                page.Append(columns[i].Numeric ? "<td class=\"num\">" : "<td>").Append(Encode(row[i])).Append("</td>");
            }
            page.Append("</tr>\n");
        }
        page.Append("</tbody>\n</table></div>\n");
    }

    /// <summary>Horizontal bars, one group per run; a bar of several segments is stacked.</summary>
    private static void AppendBarChart(StringBuilder page, string title, string axisLabel, IReadOnlyList<Group> groups)
    {
        var segments = groups.SelectMany(g => g.Bars).SelectMany(b => b.Segments).ToList();
        var body = new StringBuilder();
        var top = AppendLegend(body, segments.Select(s => (s.Series, s.Color)).Distinct(), NameWidth, Width, 8) + 12;

        double GroupHeight(Group group) => group.Bars.Count * (BarThickness + BarGap) - BarGap + 2 * GroupPadding;
        var plotHeight = groups.Sum(GroupHeight);
        var plotWidth = Width - NameWidth - ValueWidth;
        var max = NiceMax(groups.SelectMany(g => g.Bars).Select(b => b.Segments.Sum(s => s.Value)).DefaultIfEmpty().Max());
        double X(double value) => NameWidth + value / max * plotWidth;

        for (var i = 0; i <= Ticks; i++)
        {
            var value = max * i / Ticks;
            body.Append($"""<line class="grid" x1="{F(X(value))}" y1="{F(top)}" x2="{F(X(value))}" y2="{F(top + plotHeight)}"/>""")
                .Append($"""<text x="{F(X(value))}" y="{F(top + plotHeight + 16)}" text-anchor="middle">{TickLabel(value)}</text>""");
        }

        var y = top;
        foreach (var group in groups)
        {
            var groupHeight = GroupHeight(group);
            body.Append($"""<text x="{F(NameWidth - 8)}" y="{F(y + groupHeight / 2)}" text-anchor="end" dy="0.35em">{Encode(group.Name)}</text>""");
            var barY = y + GroupPadding;
            foreach (var bar in group.Bars)
            {
                var x = NameWidth;
                foreach (var segment in bar.Segments)
                {
                    var width = X(segment.Value) - NameWidth;
                    body.Append($"""<rect x="{F(x)}" y="{F(barY)}" width="{F(width)}" height="{F(BarThickness)}" fill="{segment.Color}"><title>{Encode(segment.Tooltip)}</title></rect>""");
                    if (bar.Segments.Count > 1 && width > 8 * segment.Label.Length)
                    {
                        body.Append($"""<text class="inside" x="{F(x + width / 2)}" y="{F(barY + BarThickness / 2)}" text-anchor="middle" dy="0.35em">{Encode(segment.Label)}</text>""");
                    }
                    x += width;
                }
                body.Append($"""<text x="{F(x + 6)}" y="{F(barY + BarThickness / 2)}" dy="0.35em">{Encode(bar.Label)}</text>""");
                barY += BarThickness + BarGap;
            }
            y += groupHeight;
        }

        body.Append($"""<line class="axis" x1="{F(NameWidth)}" y1="{F(top)}" x2="{F(NameWidth)}" y2="{F(top + plotHeight)}"/>""")
            .Append($"""<line class="axis" x1="{F(NameWidth)}" y1="{F(top + plotHeight)}" x2="{F(Width - ValueWidth)}" y2="{F(top + plotHeight)}"/>""")
            .Append($"""<text x="{F(NameWidth + plotWidth / 2)}" y="{F(top + plotHeight + 38)}" text-anchor="middle">{Encode(axisLabel)}</text>""")
            .Append($"""<text transform="rotate(-90)" x="{F(-(top + plotHeight / 2))}" y="14" text-anchor="middle">run</text>""");
        AppendSvg(page, title, Width, top + plotHeight + 50, segments.Count, body);
    }

    /// <summary>CPU % of one core of every sampled process, second by second, for one run.</summary>
    private static void AppendTimeline(StringBuilder page, ComparisonRow row, RoleColors colors)
    {
        const double width = 500, left = 56, right = 16, plotHeight = 170;
        page.Append($"<figure><figcaption>{Encode(row.Run.Name)}</figcaption>\n");
        var processes = row.CpuTimeline.SelectMany(point => point.PercentOfCore.Keys).Distinct().ToList();
        if (processes.Count == 0)
        {
            page.Append("<p>No CPU samples for this run.</p></figure>\n");
            return;
        }

        string ColorOf(string process) =>
            process == row.LoadGenerator.Service ? LoadGeneratorColor : colors.Of(ReportWriter.Role(process));
        double MeanOf(string process) =>
            row.CpuTimeline.Where(p => p.PercentOfCore.ContainsKey(process)).Average(p => p.PercentOfCore[process]);

        var body = new StringBuilder();
        var legend = processes.Select(p => ($"{p} (mean {ReportWriter.Percent(MeanOf(p))})", ColorOf(p)));
        var top = AppendLegend(body, legend, left, width - right, 8) + 12;
        var plotWidth = width - left - right;
        var xMax = NiceMax(row.CpuTimeline.Max(point => point.Second));
        var yMax = NiceMax(row.CpuTimeline.SelectMany(point => point.PercentOfCore.Values).Max());
        double X(double second) => left + second / xMax * plotWidth;
        double Y(double percent) => top + plotHeight - percent / yMax * plotHeight;

        for (var i = 0; i <= Ticks; i++)
        {
            var second = xMax * i / Ticks;
            var percent = yMax * i / Ticks;
            body.Append($"""<line class="grid" x1="{F(left)}" y1="{F(Y(percent))}" x2="{F(width - right)}" y2="{F(Y(percent))}"/>""")
                .Append($"""<text x="{F(left - 6)}" y="{F(Y(percent))}" text-anchor="end" dy="0.35em">{TickLabel(percent)}%</text>""")
                .Append($"""<text x="{F(X(second))}" y="{F(top + plotHeight + 16)}" text-anchor="middle">{TickLabel(second)}</text>""");
        }

        var drawn = 0;
        foreach (var process in processes)
        {
            var points = row.CpuTimeline.Where(p => p.PercentOfCore.ContainsKey(process))
                .Select(p => (p.Second, Percent: p.PercentOfCore[process])).ToList();
            var color = ColorOf(process);
            var line = string.Join(' ', points.Select(p => $"{F(X(p.Second))},{F(Y(p.Percent))}"));
            body.Append($"""<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>""");
            foreach (var (second, percent) in points)
            {
                body.Append($"""<circle cx="{F(X(second))}" cy="{F(Y(percent))}" r="3" fill="{color}"><title>{Encode($"{process} at {TickLabel(second)} s: {ReportWriter.Percent(percent)} of one core")}</title></circle>""");
            }
            drawn += points.Count;
        }

        body.Append($"""<line class="axis" x1="{F(left)}" y1="{F(top)}" x2="{F(left)}" y2="{F(top + plotHeight)}"/>""")
            .Append($"""<line class="axis" x1="{F(left)}" y1="{F(top + plotHeight)}" x2="{F(width - right)}" y2="{F(top + plotHeight)}"/>""")
            .Append($"""<text x="{F(left + plotWidth / 2)}" y="{F(top + plotHeight + 38)}" text-anchor="middle">seconds into the measured window</text>""")
            .Append($"""<text transform="rotate(-90)" x="{F(-(top + plotHeight / 2))}" y="14" text-anchor="middle">% of one core</text>""");
        AppendSvg(page, $"CPU % of one core over time: {row.Run.Name}", width, top + plotHeight + 50, drawn, body);
        page.Append("</figure>\n");
    }

    /// <summary>The page's head and title, the line under it, and the run's name and tags if it has any.</summary>
    internal static void AppendHead(StringBuilder page, string title, string subtitle, RunLabels labels)
    {
        page.Append($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)}</title>
            <style>
            {Style}
            </style>
            </head>
            <body>
            <h1>{Encode(title)}</h1>
            <p class="machine">{Encode(subtitle)}</p>

            """);
        if (labels.Line is { Length: > 0 } line) page.Append($"<p class=\"machine\">{Encode(line)}</p>\n");
    }

    /// <summary>Lays the legend out in lines that wrap at <paramref name="right"/>; returns where the last line ends.</summary>
    internal static double AppendLegend(StringBuilder svg, IEnumerable<(string Name, string Color)> items, double left, double right, double top)
    {
        const double lineHeight = 18, swatch = 12, characterWidth = 6.5;
        var (x, y) = (left, top);
        foreach (var (name, color) in items)
        {
            var itemWidth = swatch + 6 + characterWidth * name.Length + 18;
            if (x > left && x + itemWidth > right)
            {
                (x, y) = (left, y + lineHeight);
            }
            svg.Append($"""<rect x="{F(x)}" y="{F(y)}" width="{F(swatch)}" height="{F(swatch)}" fill="{color}"/>""")
                .Append($"""<text x="{F(x + swatch + 6)}" y="{F(y + swatch / 2)}" dy="0.35em">{Encode(name)}</text>""");
            x += itemWidth;
        }
        return y + lineHeight;
    }

    internal static void AppendSvg(StringBuilder page, string title, double width, double height, int dataPoints, StringBuilder body) =>
        page.Append($"""<svg class="chart" data-series-count="{dataPoints}" viewBox="0 0 {F(width)} {F(height)}" role="img"><title>{Encode(title)}</title>""")
            .Append(body)
            .Append("</svg>\n");

    /// <summary>The smallest 1, 2 or 5 × 10ⁿ at or above the value, so the axis ticks are round numbers.</summary>
    internal static double NiceMax(double value)
    {
        if (!(value > 0))
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 5, 10 }.Select(step => step * magnitude).First(nice => nice >= value);
    }

    internal static string TickLabel(double value) =>
        value.ToString(value >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture);

    internal static string F(double coordinate) => coordinate.ToString("0.#", CultureInfo.InvariantCulture);

    internal static string Encode(string text) => WebUtility.HtmlEncode(text);
}
