using System.Globalization;
using System.Text;
using System.Text.Json;
using LoadGenerator.Runs;

namespace LoadGenerator.Reports;

/// <summary>A single run's result in each of <c>-O</c>'s formats.</summary>
public static class RunWriter
{
    public static string Render(RunReport report, OutputFormat format, bool distribution) => format switch
    {
        OutputFormat.Json => JsonSerializer.Serialize(report, ReportWriter.ReadableJson.RunReport) + "\n",
        OutputFormat.Csv => Csv(report.Run),
        OutputFormat.Html => ReportHtml.Render(report),
        _ => Summary(report, distribution),
    };

    /// <summary>What is run, before it runs: target, loop, amount.</summary>
    public static string Header(LoadSettings settings, string shape)
    {
        var loop = (settings.Schedule, settings.Rate) switch
        {
            ({ } schedule, _) => $"open, {schedule}, at most {settings.Concurrency:N0} in flight",
            (_, { } rate) => $"open, {rate:N0} req/s scheduled, at most {settings.Concurrency:N0} in flight",
            _ => $"closed, {settings.Concurrency:N0} in flight",
        };
        var amount = settings.Requests is { } n ? $"{n:N0} requests" : $"{settings.Duration!.Value.TotalSeconds:0.##} s";
        return $"Target:   {settings.Address} ({settings.Target}, {shape})\n" +
            $"Loop:     {loop}; {amount} measured after {settings.Warmup.TotalSeconds:0.##} s of warm-up; batches of {settings.Size:N0}\n";
    }

    /// <summary>The console's summary: requests, rate, latency, errors, a changing rate's steps, and on request the whole distribution.</summary>
    public static string Summary(RunReport report, bool distribution)
    {
        var (run, settings) = (report.Run, report.Run.Settings);
        var text = new StringBuilder();
        if (report.Labels.Line is { Length: > 0 } labels) text.AppendLine(labels);
        var l = run.Latency;
        text.AppendLine($"Requests: {run.Sent:N0} sent ({run.Succeeded:N0} ok, {run.Failed:N0} failed) in {run.Seconds:0.00} s" +
            (run.Unsent > 0 ? $"; {run.Unsent:N0} never sent: every slot in flight was taken until the run's end" : ""));
        if (settings.Schedule is not null) text.AppendLine($"Rate:     {run.RequestsPerSecond:N0} ok/s; {run.SentPerSecond:N0} sent/s over the schedule");
        else if (settings.Rate is { } asked) text.AppendLine($"Rate:     {run.RequestsPerSecond:N0} ok/s; {run.SentPerSecond:N0} sent/s of {asked:N0} asked");
        else text.AppendLine($"Rate:     {run.RequestsPerSecond:N0} ok/s");
        text.AppendLine($"Latency:  of the successes: mean {l.MeanMs:0.###} ms, p50 {l.P50Ms:0.###}, p90 {l.P90Ms:0.###}, p99 {l.P99Ms:0.###}, p99.9 {l.P999Ms:0.###}, max {l.MaxMs:0.###}");
        text.AppendLine($"Errors:   {(run.Errors.Count == 0 ? "none" : string.Join(", ", run.Errors.Select(e => $"{e.Key}: {e.Value:N0}")))}");
        if (run.Steps is { } steps) text.Append(StepTable(steps));
        if (distribution && run.LatencyHistogram is { } histogram) text.Append('\n').Append(LatencyFiles.Distribution(LatencyHistogram.Decode(histogram), csv: false));
        return text.ToString();
    }

    /// <summary>A changing rate's steps (a line's seconds), each request in the step of its intended send time.</summary>
    private static string StepTable(IReadOnlyList<RateStep> steps)
    {
        var table = new StringBuilder("Steps:\n");
        table.AppendLine($"{"from s",8} {"offered/s",10} {"sent/s",10} {"sent",9} {"unsent",8} {"ok",9} {"errors",8} {"p50 ms",9} {"p99 ms",9}");
        foreach (var s in steps)
        {
            table.AppendLine($"{s.StartSecond,8:0.###} {s.OfferedRate,10:N0} {s.SentPerSecond,10:N0} {s.Sent,9:N0} {s.Unsent,8:N0} {s.Succeeded,9:N0} {s.Failed,8:N0} " +
                $"{s.Latency.P50Ms,9:0.###} {s.Latency.P99Ms,9:0.###}");
        }
        return table.ToString();
    }

    /// <summary>
    /// One line per whole second of the window: the successes answered in it and their p50, p90, p99. ghz's CSV has a line
    /// per request; a second's figures are what a chart or a spreadsheet of a run wants, and the whole distribution is in -O json.
    /// </summary>
    public static string Csv(RunResult run)
    {
        var csv = new StringBuilder("second,ok,p50_ms,p90_ms,p99_ms\n");
        foreach (var (s, i) in (run.PerSecond ?? []).Select((s, i) => (s, i)))
        {
            csv.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{i},{s.Succeeded},{s.P50Ms:0.###},{s.P90Ms:0.###},{s.P99Ms:0.###}"));
        }
        return csv.ToString();
    }
}
