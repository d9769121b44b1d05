using System.Globalization;
using System.Text;

namespace LoadGenerator.Reports;

/// <summary>The same comparison run several times: each row's median, and the spread (min–max) around it.</summary>
public static class RepeatSummary
{
    public static string Markdown(IReadOnlyList<ComparisonReport> reports)
    {
        var text = new StringBuilder()
            .AppendLine($"Median of {reports.Count} comparisons (min–max):")
            .AppendLine()
            .AppendLine("| run | req/s | p99 ms | chain CPU-ms/req | of ceiling |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var name in reports[0].Rows.Select(r => r.Run.Name))
        {
            var rows = reports.Select(r => r.Rows.Single(row => row.Run.Name == name)).ToList();
            text.AppendLine($"| {name} | {Spread(rows.Select(r => r.Run.RequestsPerSecond), "N0")} | {Spread(rows.Select(r => r.Run.Latency.P99Ms), "N2")} " +
                $"| {Spread(rows.Select(r => r.ChainCpuMsPerRequest), "N3")} | {(rows.All(r => r.OfCeiling is not null) ? Spread(rows.Select(r => 100 * r.OfCeiling!.Value), "N0") : "–")} |");
        }
        return text.ToString();
    }

    /// <summary>"median (min–max)".</summary>
    public static string Spread(IEnumerable<double> values, string format)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return $"{F(median)} ({F(sorted[0])}–{F(sorted[^1])})";
    }
}
