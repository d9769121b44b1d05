using System.Globalization;
using System.Text;
using LoadGenerator.Reports;

namespace LoadGenerator.Baselines;

/// <summary>A run set against an earlier one (<c>--baseline</c>), row by row and metric by metric, and the thresholds (<c>--fail-if</c>) it breaches.</summary>
public sealed record BaselineComparison(IReadOnlyList<RowDelta> Rows)
{
    public static BaselineComparison Of(RunReport baseline, RunReport current) =>
        Of([RowFigures.Of(baseline.Run)], [RowFigures.Of(current.Run)]);

    public static BaselineComparison Of(ComparisonReport baseline, ComparisonReport current) =>
        Of(baseline.Rows.Select(RowFigures.Of).ToList(), current.Rows.Select(RowFigures.Of).ToList());

    private static BaselineComparison Of(IReadOnlyList<RowFigures> baseline, IReadOnlyList<RowFigures> current)
    {
        var rows = current.Select(row => baseline.FirstOrDefault(b => b.Key == row.Key) is { } before
            ? new RowDelta(row.Name, row.Values.Keys.Where(before.Values.ContainsKey).Select(metric => MetricDelta.Of(metric,
                before.Values[metric], row.Values[metric], before.Samples?[metric], row.Samples?[metric])).ToList())
            : new RowDelta(row.Name, [], "not in the baseline")).ToList();
        rows.AddRange(baseline.Where(b => current.All(c => c.Key != b.Key)).Select(b => new RowDelta(b.Name, [], "in the baseline only")));
        return new BaselineComparison(rows);
    }

    /// <summary>Each breach, as a line saying which row, which figure, by how much, and which threshold.</summary>
    public IReadOnlyList<string> Breaches(IReadOnlyList<Threshold> thresholds) =>
        Rows.SelectMany(row => row.Metrics.SelectMany(delta => thresholds.Where(t => t.BreachedBy(delta))
            .Select(t => $"{row.Name}: {delta.Metric.Name()} {Change(delta)} ({delta.Significance}) breaches {t}"))).ToList();

    /// <summary>The comparison as a Markdown table: baseline, current, change and significance per row and metric.</summary>
    public string Table()
    {
        var table = new StringBuilder("| row | metric | baseline | current | change | significance |\n| --- | --- | ---: | ---: | ---: | --- |\n");
        foreach (var row in Rows)
        {
            if (row.Unmatched is { } why) table.AppendLine($"| {row.Name} | – | – | – | – | {why} |");
            foreach (var delta in row.Metrics)
            {
                table.AppendLine($"| {row.Name} | {delta.Metric.Describe()} | {Figure(delta.Metric, delta.Baseline)} | {Figure(delta.Metric, delta.Current)} | {Change(delta)} | {delta.Significance} |");
            }
        }
        return table.ToString();
    }

    private static string Change(MetricDelta delta) => delta.ChangePercent.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";

    private static string Figure(BaselineMetric metric, double value) => metric switch
    {
        BaselineMetric.Rps => ReportWriter.Throughput(value),
        BaselineMetric.Cpu => ReportWriter.CpuMs(value),
        _ => ReportWriter.Ms(value),
    };
}
