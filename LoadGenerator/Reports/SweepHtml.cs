using System.Text;
using LoadGenerator.Runs;
using static LoadGenerator.Reports.ReportHtml;

namespace LoadGenerator.Reports;

/// <summary>A sweep as one self-contained page: the knee table, a latency chart per transport, every row's steps.</summary>
internal static class SweepHtml
{
    private const double Width = 1000, Left = 64, Right = 24, PlotHeight = 380;

    public static string Render(SweepReport report)
    {
        var page = new StringBuilder();
        var title = SweepWriter.Title(report);
        AppendHead(page, title, SweepWriter.Summary(report), report.Labels);
        page.Append("<h2>Knees</h2>\n");
        AppendTable(page, SweepWriter.KneeTable(report));
        // One chart per transport, its ceiling with it: REST's rows on one, gRPC's on the other.
        foreach (var transport in report.Rows.GroupBy(r => r.Scenario.Chain))
        {
            var name = transport.Key == "rest" ? "REST" : "gRPC";
            page.Append($"<h2>{name}: latency against offered load</h2>\n");
            AppendChart(page, $"{name}: p50 and p99 against offered rate", transport.ToList());
        }
        page.Append("<h2>Steps</h2>\n");
        foreach (var row in report.Rows)
        {
            page.Append($"<h3>{Encode(row.Name)}</h3>\n<p>{Encode(SweepWriter.RowLine(row, report.Settings))}</p>\n");
            AppendTable(page, SweepWriter.StepTable(row));
        }
        page.Append($"""
            <h2>How to read this</h2>
            <p>{Encode(SweepWriter.HowToRead(report.Settings))}</p>
            </body>
            </html>

            """);
        return page.ToString();
    }

    /// <summary>p50 dashed and p99 solid against the rate offered, one colour per row, milliseconds on a log scale; a diamond at each knee.</summary>
    private static void AppendChart(StringBuilder page, string title, IReadOnlyList<SweepRow> rows)
    {
        var body = new StringBuilder();
        var colors = rows.Select((_, i) => RolePalette[i % RolePalette.Length]).ToList();
        var top = AppendLegend(body, rows.Select((r, i) => (r.Name, colors[i])), Left, Width - Right, 8);
        body.Append($"""<text x="{F(Left)}" y="{F(top + 6)}" dy="0.35em">solid: p99 · dashed: p50 · ◆ the knee (at its p99)</text>""");
        top += 30;

        var latencies = rows.SelectMany(r => r.Steps).SelectMany(s => new[] { s.Latency.P50Ms, s.Latency.P99Ms }).Where(ms => ms > 0).ToList();
        var plotWidth = Width - Left - Right;
        var xMax = NiceMax(rows.SelectMany(r => r.Steps).Select(s => s.OfferedRate).DefaultIfEmpty().Max());
        var low = Math.Floor(Math.Log10(latencies.DefaultIfEmpty(1).Min()));
        var high = Math.Max(low + 1, Math.Ceiling(Math.Log10(latencies.DefaultIfEmpty(1).Max())));
        double X(double rate) => Left + rate / xMax * plotWidth;
        double Y(double ms) => top + PlotHeight - (Math.Log10(ms) - low) / (high - low) * PlotHeight;

        for (var i = 0; i <= 5; i++)
        {
            var rate = xMax * i / 5;
            body.Append($"""<line class="grid" x1="{F(X(rate))}" y1="{F(top)}" x2="{F(X(rate))}" y2="{F(top + PlotHeight)}"/>""")
                .Append($"""<text x="{F(X(rate))}" y="{F(top + PlotHeight + 16)}" text-anchor="middle">{TickLabel(rate)}</text>""");
        }
        // Every 1, 2 and 5 of each decade gets a line; the decades get their label.
        for (var decade = low; decade <= high; decade++)
        {
            foreach (var mantissa in decade < high ? new[] { 1, 2, 5 } : [1])
            {
                var ms = mantissa * Math.Pow(10, decade);
                body.Append($"""<line class="grid" x1="{F(Left)}" y1="{F(Y(ms))}" x2="{F(Width - Right)}" y2="{F(Y(ms))}"/>""");
                if (mantissa == 1 || high - low <= 2)
                {
                    body.Append($"""<text x="{F(Left - 6)}" y="{F(Y(ms))}" text-anchor="end" dy="0.35em">{TickLabel(ms)}</text>""");
                }
            }
        }

        var drawn = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            foreach (var (percentile, dash, of) in new (string, string, Func<LatencySummary, double>)[]
                     { ("p50", """ stroke-dasharray="6 4" """, l => l.P50Ms), ("p99", " ", l => l.P99Ms) })
            {
                var points = row.Steps.Where(s => of(s.Latency) > 0).Select(s => (s.OfferedRate, Ms: of(s.Latency))).ToList();
                body.Append($"""<polyline points="{string.Join(' ', points.Select(p => $"{F(X(p.OfferedRate))},{F(Y(p.Ms))}"))}" fill="none" stroke="{colors[i]}" stroke-width="2"{dash}/>""");
                foreach (var (rate, ms) in points)
                {
                    body.Append($"""<circle cx="{F(X(rate))}" cy="{F(Y(ms))}" r="3" fill="{colors[i]}"><title>{Encode($"{row.Name} at {ReportWriter.Throughput(rate)} req/s offered: {percentile} {ReportWriter.Ms(ms)} ms")}</title></circle>""");
                }
                drawn += points.Count;
            }
            if (row.Knee is { } knee && knee.P99Ms > 0)
            {
                var (x, y) = (X(knee.OfferedRate), Y(knee.P99Ms));
                body.Append($"""<polygon class="knee" points="{F(x)},{F(y - 8)} {F(x + 8)},{F(y)} {F(x)},{F(y + 8)} {F(x - 8)},{F(y)}" fill="{colors[i]}" stroke="#222" stroke-width="1.5">""")
                    .Append($"""<title>{Encode($"{row.Name}: knee at {ReportWriter.Throughput(knee.OfferedRate)} req/s offered, p99 {ReportWriter.Ms(knee.P99Ms)} ms")}</title></polygon>""");
            }
        }

        body.Append($"""<line class="axis" x1="{F(Left)}" y1="{F(top)}" x2="{F(Left)}" y2="{F(top + PlotHeight)}"/>""")
            .Append($"""<line class="axis" x1="{F(Left)}" y1="{F(top + PlotHeight)}" x2="{F(Width - Right)}" y2="{F(top + PlotHeight)}"/>""")
            .Append($"""<text x="{F(Left + plotWidth / 2)}" y="{F(top + PlotHeight + 38)}" text-anchor="middle">requests per second offered</text>""")
            .Append($"""<text transform="rotate(-90)" x="{F(-(top + PlotHeight / 2))}" y="14" text-anchor="middle">latency, ms (log scale)</text>""");
        AppendSvg(page, title, Width, top + PlotHeight + 50, drawn, body);
    }
}
