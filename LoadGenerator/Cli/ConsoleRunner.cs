using LoadGenerator.Reports;
using LoadGenerator.Runs;
using LoadGenerator.Targets;

namespace LoadGenerator.Cli;

/// <summary>The CLI: a live progress line on stderr, results on stdout.</summary>
public static class ConsoleRunner
{
    public static async Task<int> RunAsync(Command command, CancellationToken ct)
    {
        switch (command)
        {
            case HelpCommand:
                Console.WriteLine(CommandLine.Usage);
                return 0;
            case LoadCommand load:
                await RunLoadAsync(load.Settings, load.Distribution, ct);
                return 0;
            case CompareCommand compare:
                var reports = new List<ComparisonReport>();
                // Repeats go together, one directory each under one benchmark directory, with their summary beside them.
                var benchmark = compare.Repeat > 1 ? ReportWriter.DirectoryFor(compare.ResultsDirectory, DateTimeOffset.Now, "-benchmark") : null;
                for (var i = 1; i <= compare.Repeat; i++)
                {
                    if (benchmark is not null) Console.WriteLine($"Comparison {i} of {compare.Repeat}");
                    var run = $"run-{i}";
                    var recorded = await RecordedComparison.RunAsync(compare.Settings, compare.Chains,
                        report => benchmark is null ? ReportWriter.DirectoryFor(compare.ResultsDirectory, report.StartedAt) : Path.Combine(benchmark, run),
                        ProgressLine(), ct);
                    Console.WriteLine(recorded.Table);
                    Console.WriteLine($"Report: {recorded.Page}");
                    reports.Add(recorded.Report);
                }
                if (benchmark is not null)
                {
                    var summary = RepeatSummary.Markdown(reports);
                    await File.WriteAllTextAsync(Path.Combine(benchmark, "summary.md"), $"# {ReportWriter.Title}: {reports.Count} runs\n\n{summary}", ct);
                    Console.WriteLine(summary);
                    Console.WriteLine($"Summary: {Path.GetFullPath(Path.Combine(benchmark, "summary.md"))}");
                }
                return reports.SelectMany(r => r.Rows).All(r => r.Reconciliation.Matches && r.Run.Failed == 0) ? 0 : 1;
            case ReadmeCommand readme:
                var path = ReadmeResults.Find(readme.Readme);
                Console.WriteLine($"{path}: generated sections rewritten from {string.Join(", ", await ReadmeResults.UpdateAsync(path, ct))}");
                return 0;
            case SoakCommand soak:
                var soaked = await Soak.RunAsync(soak.Settings, soak.Chains, ProgressLine(), ct);
                var soakDirectory = ReportWriter.DirectoryFor(soak.ResultsDirectory, soaked.StartedAt, "-soak");
                Console.WriteLine(await SoakWriter.WriteAsync(soaked, soakDirectory, ct));
                Console.WriteLine($"Report: {Path.GetFullPath(Path.Combine(soakDirectory, "soak.md"))}");
                return soaked.Passed ? 0 : 1;
            case SweepCommand sweep:
                var swept = await Sweep.RunAsync(sweep.Settings, sweep.Chains, ProgressLine(), ct, sweep.Only);
                var sweepDirectory = ReportWriter.DirectoryFor(sweep.ResultsDirectory, swept.StartedAt, "-sweep");
                Console.WriteLine(await SweepWriter.WriteAsync(swept, sweepDirectory, ct));
                Console.WriteLine(Knee.Rule(sweep.Settings.KneeFactor));
                Console.WriteLine($"Report: {Path.GetFullPath(Path.Combine(sweepDirectory, "sweep.html"))}");
                return swept.Rows.All(r => r.Knee is not null) ? 0 : 1;
            default:
                throw new UsageException($"'{command}' is not run from the console");
        }
    }

    private static async Task RunLoadAsync(LoadSettings settings, bool distribution, CancellationToken ct)
    {
        await using var target = LoadTargets.Create(settings);
        var loop = (settings.Schedule, settings.Rate) switch
        {
            ({ } schedule, _) => $"open, {schedule}, at most {settings.Concurrency:N0} in flight",
            (_, { } rate) => $"open, {rate:N0} req/s scheduled, at most {settings.Concurrency:N0} in flight",
            _ => $"closed, {settings.Concurrency:N0} in flight",
        };
        var amount = settings.Requests is { } n ? $"{n:N0} requests" : $"{settings.Duration!.Value.TotalSeconds:0.##} s";
        Console.WriteLine($"Target:   {settings.Address} ({settings.Target}, {target.Shape(settings)})");
        Console.WriteLine($"Loop:     {loop}; {amount} measured after {settings.Warmup.TotalSeconds:0.##} s of warm-up; batches of {settings.Size:N0}");

        var run = await LoadRun.RunAsync("measured", target, settings, ProgressLine(), ct);

        var l = run.Latency;
        Console.WriteLine($"Requests: {run.Sent:N0} sent ({run.Succeeded:N0} ok, {run.Failed:N0} failed) in {run.Seconds:0.00} s" +
            (run.Unsent > 0 ? $"; {run.Unsent:N0} never sent: every slot in flight was taken until the run's end" : ""));
        if (settings.Schedule is not null) Console.WriteLine($"Rate:     {run.RequestsPerSecond:N0} ok/s; {run.SentPerSecond:N0} sent/s over the schedule");
        else if (settings.Rate is { } asked) Console.WriteLine($"Rate:     {run.RequestsPerSecond:N0} ok/s; {run.SentPerSecond:N0} sent/s of {asked:N0} asked");
        else Console.WriteLine($"Rate:     {run.RequestsPerSecond:N0} ok/s");
        Console.WriteLine($"Latency:  of the successes: mean {l.MeanMs:0.###} ms, p50 {l.P50Ms:0.###}, p90 {l.P90Ms:0.###}, p99 {l.P99Ms:0.###}, p99.9 {l.P999Ms:0.###}, max {l.MaxMs:0.###}");
        Console.WriteLine($"Errors:   {(run.Errors.Count == 0 ? "none" : string.Join(", ", run.Errors.Select(e => $"{e.Key}: {e.Value:N0}")))}");
        if (run.Steps is { } steps) Console.Write(StepTable(steps));
        if (distribution && run.LatencyHistogram is { } histogram) Console.Write("\n" + LatencyFiles.Distribution(LatencyHistogram.Decode(histogram), csv: false));
    }

    /// <summary>A changing rate's steps (a line's seconds), each request in the step of its intended send time.</summary>
    private static string StepTable(IReadOnlyList<RateStep> steps)
    {
        var table = new System.Text.StringBuilder("Steps:\n");
        table.AppendLine($"{"from s",8} {"offered/s",10} {"sent/s",10} {"sent",9} {"unsent",8} {"ok",9} {"errors",8} {"p50 ms",9} {"p99 ms",9}");
        foreach (var s in steps)
        {
            table.AppendLine($"{s.StartSecond,8:0.###} {s.OfferedRate,10:N0} {s.SentPerSecond,10:N0} {s.Sent,9:N0} {s.Unsent,8:N0} {s.Succeeded,9:N0} {s.Failed,8:N0} " +
                $"{s.Latency.P50Ms,9:0.###} {s.Latency.P99Ms,9:0.###}");
        }
        return table.ToString();
    }

    /// <summary>One line rewritten in place on a terminal; a plain line every few seconds when stderr is a file or pipe.</summary>
    private static IProgress<RunProgress> ProgressLine()
    {
        var lastPrinted = DateTime.MinValue;
        return new Progress<RunProgress>(p =>
        {
            var of = p.Total is { } total ? $"{p.Completed:N0}/{total:N0}" : $"{p.Seconds:0}/{p.TotalSeconds:0} s, {p.Completed:N0} done";
            var line = $"[{p.Phase}] {of}, {p.CurrentRate:N0} req/s, {p.Failed:N0} errors";
            if (!Console.IsErrorRedirected) Console.Error.Write($"\r{line,-100}");
            else if (DateTime.UtcNow - lastPrinted > TimeSpan.FromSeconds(5))
            {
                Console.Error.WriteLine(line);
                lastPrinted = DateTime.UtcNow;
            }
        });
    }
}
