using System.Globalization;
using System.Text;
using System.Text.Json;
using LoadGenerator.Runs;

namespace LoadGenerator.Reports;

/// <summary>Writes a sweep as sweep.md (the knees, then every row's steps), sweep.json and sweep.html (a latency chart per transport).</summary>
public static class SweepWriter
{
    /// <summary>Writes the three files; returns the knee table, for the console.</summary>
    public static async Task<string> WriteAsync(SweepReport report, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "sweep.md"), Markdown(report), ct);
        await using (var json = File.Create(Path.Combine(directory, "sweep.json")))
        {
            await JsonSerializer.SerializeAsync(json, report, ReportWriter.ReadableJson.SweepReport, ct);
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "sweep.html"), SweepHtml.Render(report), ct);
        return ReportWriter.Markdown(KneeTable(report));
    }

    public static string Markdown(SweepReport report)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {Title(report)}\n\n{Summary(report)}\n\n{ReportWriter.Labelled(report.Labels)}## Knees\n\n{ReportWriter.Markdown(KneeTable(report))}\n## Steps\n\n");
        foreach (var row in report.Rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"### {row.Name}\n\n{RowLine(row, report.Settings)}\n\n{ReportWriter.Markdown(StepTable(row))}\n");
        }
        md.Append("## How to read this\n\n").Append(HowToRead(report.Settings)).Append('\n');
        return md.ToString();
    }

    internal static string Title(SweepReport report) =>
        $"Latency against offered load, batches of {report.Settings.Size.ToString("N0", CultureInfo.InvariantCulture)}";

    internal static string Summary(SweepReport report)
    {
        var s = report.Settings;
        var steps = string.Join(", ", s.Steps.Select(p => p.ToString("0.#", CultureInfo.InvariantCulture) + "%"));
        return $"Started {report.StartedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} · {ReportWriter.MachineLine(report.Machine)} · " +
            $"capacity closed-loop for {Seconds(s.CapacityWindow)} at -c {s.Concurrency}, then {steps} of it open-loop for {Seconds(s.StepDuration)} each";
    }

    internal static string RowLine(SweepRow row, SweepSettings settings) =>
        $"Capacity {ReportWriter.Throughput(row.Capacity)} req/s closed-loop ({row.ConnectionShape}, {row.Settings.Concurrency} in flight); " +
        $"steps at most {settings.MaxInFlight.ToString("N0", CultureInfo.InvariantCulture)} in flight. " +
        $"Waited {row.Quiet.Seconds.ToString("0.#", CultureInfo.InvariantCulture)} s for a quiet machine, warmed up {row.WarmupSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.";

    internal static (IReadOnlyList<ReportWriter.Column> Columns, IReadOnlyList<string[]> Rows) KneeTable(SweepReport report)
    {
        ReportWriter.Column[] columns =
        [
            new("run", false), new("capacity req/s (closed loop)", true), new("knee req/s (offered)", true), new("knee of capacity", true),
            new("p99 at knee ms", true), new("p99 limit ms", true),
        ];
        var rows = report.Rows.Select(row => row.Knee is { } knee
            ? (string[])
            [
                row.Name, ReportWriter.Throughput(row.Capacity), ReportWriter.Throughput(knee.OfferedRate),
                knee.OfCapacity is { } of ? ReportWriter.Percent(100 * of) : "–", ReportWriter.Ms(knee.P99Ms), ReportWriter.Ms(knee.LimitMs),
            ]
            : [row.Name, ReportWriter.Throughput(row.Capacity), "none", "–", "–", "–"]).ToList();
        return (columns, rows);
    }

    internal static (IReadOnlyList<ReportWriter.Column> Columns, IReadOnlyList<string[]> Rows) StepTable(SweepRow row)
    {
        ReportWriter.Column[] columns =
        [
            new("offered", true), new("offered req/s", true), new("sent/s", true), new("goodput req/s", true),
            new("p50 ms", true), new("p90 ms", true), new("p99 ms", true), new("p99.9 ms", true),
            new("errors", false), new("unsent", true), new("counts", false), new("knee", false),
        ];
        var rows = row.Steps.Select(step => (string[])
        [
            step.Percent.ToString("0.#", CultureInfo.InvariantCulture) + "%", ReportWriter.Throughput(step.OfferedRate),
            ReportWriter.Throughput(step.SentPerSecond), ReportWriter.Throughput(step.Goodput),
            ReportWriter.Ms(step.Latency.P50Ms), ReportWriter.Ms(step.Latency.P90Ms), ReportWriter.Ms(step.Latency.P99Ms), ReportWriter.Ms(step.Latency.P999Ms),
            Errors(step), step.Unsent.ToString("N0", CultureInfo.InvariantCulture),
            step.Counts is not { } counts ? "–" : counts.Matches ? "✓" : "✗ " + counts.Detail,
            row.Knee is { } knee && knee.Percent == step.Percent ? "◀ knee" : "",
        ]).ToList();
        return (columns, rows);
    }

    internal static string HowToRead(SweepSettings settings) =>
        "Each row first waits (at most 30 s) for a quiet machine and warms up as compare does, then runs closed-loop at -c for the capacity window: " +
        "its goodput there is the row's capacity. Each step then offers a share of that capacity open-loop: requests sent on a fixed schedule whatever " +
        $"the answers do, at most {settings.MaxInFlight.ToString("N0", CultureInfo.InvariantCulture)} in flight, latency counted from each request's intended send time, " +
        "so a queue shows in the percentiles instead of slowing the sender. sent/s is what went out per second of the step, goodput the successes per second " +
        "until the last answer came back, unsent what the step could not send before its end (every slot in flight taken). Percentiles are of the successes. " +
        "Counts ✓ means every success was counted by each measured service, as in compare. " + Knee.Rule(settings.KneeFactor);

    private static string Errors(SweepStep step) =>
        step.Failed == 0
            ? "0"
            : $"{step.Failed.ToString("N0", CultureInfo.InvariantCulture)} (" +
              string.Join(", ", step.Errors.Where(e => e.Value > 0).OrderByDescending(e => e.Value)
                  .Select(e => $"{e.Key}: {e.Value.ToString("N0", CultureInfo.InvariantCulture)}")) + ")";

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
