using System.Globalization;
using System.Text;
using System.Text.Json;
using LoadGenerator.Runs;

namespace LoadGenerator.Reports;

/// <summary>Writes a soak as soak.md (the verdict, the trends, a minute-by-minute table) and soak.json (every sample).</summary>
public static class SoakWriter
{
    private const string HowToRead =
        "Each chain is first loaded closed-loop to measure its capacity, then held at a share of it on a fixed schedule; the rate held is " +
        "what was sent per second, and a soak passes only if it sent 95% or more of the requests its schedule asked for. " +
        "Every second each service's working set, GC heap, open connections, open streams and requests in flight are read from its /stats " +
        "(loadgen is the load generator itself). A figure grows when its mean over the last fifth of the run exceeds its mean over the first fifth " +
        "by more than 10% (and by more than 16 MB, or 2 connections or streams, or 10 requests); the first tenth is left out as start-up. " +
        "The slope is a least-squares fit over the same samples.";

    public static async Task<string> WriteAsync(SoakReport report, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var markdown = Markdown(report);
        await File.WriteAllTextAsync(Path.Combine(directory, "soak.md"), markdown, ct);
        await using var json = File.Create(Path.Combine(directory, "soak.json"));
        await JsonSerializer.SerializeAsync(json, report, ReportWriter.ReadableJson.SoakReport, ct);
        return markdown;
    }

    public static string Markdown(SoakReport report)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Soak: {report.Settings.Duration.TotalMinutes:0.#} minutes per chain at {100 * report.Settings.Load:0}% of capacity\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Started {report.StartedAt:yyyy-MM-dd HH:mm:ss zzz} · {ReportWriter.MachineLine(report.Machine)} · " +
            $"batches of {report.Settings.Size:N0} · **{(report.Passed ? "rate held, no growth, no errors" : "NOT CLEAN: see below")}**\n\n");
        md.Append(ReportWriter.Labelled(report.Labels));
        foreach (var chain in report.Chains)
        {
            var run = chain.Run;
            md.Append(CultureInfo.InvariantCulture, $"## {chain.Chain}\n\n");
            md.Append(CultureInfo.InvariantCulture, $"Capacity {chain.Capacity:N0} req/s; asked {chain.Rate:N0} req/s, sent {run.SentPerSecond:N0} req/s " +
                $"({run.Settings.Target}, {run.ConnectionShape}): {run.Sent:N0} sent, {run.Unsent:N0} unsent, {run.Succeeded:N0} ok, errors {ReportWriter.Errors(run)}; " +
                $"latency p50 {ReportWriter.Ms(run.Latency.P50Ms)} ms, " +
                $"p99 {ReportWriter.Ms(run.Latency.P99Ms)} ms, max {ReportWriter.Ms(run.Latency.MaxMs)} ms.\n\n");
            ReportWriter.AppendMarkdownLine(md, ["process", "figure", "first fifth", "last fifth", "min", "max", "slope /min", "grows"]);
            ReportWriter.AppendMarkdownLine(md, ["---", "---", "---:", "---:", "---:", "---:", "---:", "---"]);
            foreach (var t in chain.Trends)
            {
                ReportWriter.AppendMarkdownLine(md, [t.Service, t.Figure, Figure(t.First), Figure(t.Last), Figure(t.Min), Figure(t.Max), Figure(t.SlopePerMinute), t.Grows ? "**yes**" : "no"]);
            }
            md.Append('\n');
            AppendMinutes(md, chain);
        }
        md.Append("## How to read this\n\n").Append(HowToRead).Append('\n');
        return md.ToString();
    }

    /// <summary>Working set per process, one row per minute (or per tenth of a shorter run): growth is visible at a glance.</summary>
    private static void AppendMinutes(StringBuilder md, SoakChain chain)
    {
        if (chain.Samples.Count == 0) return;
        var services = chain.Samples[0].Services.Keys.ToList();
        var step = Math.Max(1, chain.Samples.Count >= 120 ? 60 : chain.Samples.Count / 10);
        ReportWriter.AppendMarkdownLine(md, ["second", "requests done", "errors", .. services.Select(s => $"{s} MB"), $"{ProbeReading.LoadGeneratorName} MB"]);
        ReportWriter.AppendMarkdownLine(md, ["---:", "---:", "---:", .. services.Select(_ => "---:"), "---:"]);
        for (var i = step - 1; i < chain.Samples.Count; i += step)
        {
            var sample = chain.Samples[i];
            ReportWriter.AppendMarkdownLine(md,
            [
                sample.Second.ToString("0", CultureInfo.InvariantCulture), sample.Completed.ToString("N0", CultureInfo.InvariantCulture),
                sample.Failed.ToString("N0", CultureInfo.InvariantCulture),
                .. services.Select(s => sample.Services.TryGetValue(s, out var stats) ? Figure(stats.WorkingSetBytes / 1048576.0) : "–"),
                Figure(sample.LoadGenerator.WorkingSetBytes / 1048576.0),
            ]);
        }
        md.Append('\n');
    }

    private static string Figure(double value) => value.ToString(Math.Abs(value) < 10 ? "0.##" : "N1", CultureInfo.InvariantCulture);
}
