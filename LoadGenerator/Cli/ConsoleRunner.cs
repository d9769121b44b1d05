using LoadGenerator.Baselines;
using LoadGenerator.Reports;
using LoadGenerator.Runs;
using LoadGenerator.Targets;

namespace LoadGenerator.Cli;

/// <summary>The CLI: a live progress line on stderr, results on stdout (or in <c>-o</c>'s file); the exit code says how it went (<see cref="ExitCodes"/>).</summary>
public static class ConsoleRunner
{
    public static async Task<int> RunAsync(Command command, CancellationToken ct)
    {
        switch (command)
        {
            case HelpCommand help:
                Console.Write(help.Text);
                return ExitCodes.Ok;
            case LoadCommand load:
                return await RunLoadAsync(load, ct);
            case CompareCommand compare:
                return await CompareAsync(compare, ct);
            case ReadmeCommand readme:
                var path = ReadmeResults.Find(readme.Readme);
                if (!File.Exists(path)) throw new UsageException($"no {readme.Readme} here or in a directory above {Directory.GetCurrentDirectory()}");
                Console.WriteLine($"{path}: generated sections rewritten from {string.Join(", ", await ReadmeResults.UpdateAsync(path, ct))}");
                return ExitCodes.Ok;
            case SoakCommand soak:
                var soaked = await Soak.RunAsync(soak.Settings, soak.Chains, ProgressLine(), ct) with { Labels = soak.Labels };
                var soakDirectory = ReportWriter.DirectoryFor(soak.ResultsDirectory, soaked.StartedAt, "-soak");
                Console.WriteLine(await SoakWriter.WriteAsync(soaked, soakDirectory, ct));
                Console.WriteLine($"Report: {Path.GetFullPath(Path.Combine(soakDirectory, "soak.md"))}");
                return soaked.Passed ? ExitCodes.Ok : ExitCodes.RunFailed;
            case SweepCommand sweep:
                var swept = await Sweep.RunAsync(sweep.Settings, sweep.Chains, ProgressLine(), ct, sweep.Only) with { Labels = sweep.Labels };
                var sweepDirectory = ReportWriter.DirectoryFor(sweep.ResultsDirectory, swept.StartedAt, "-sweep");
                Console.WriteLine(await SweepWriter.WriteAsync(swept, sweepDirectory, ct));
                Console.WriteLine(Knee.Rule(sweep.Settings.KneeFactor));
                Console.WriteLine($"Report: {Path.GetFullPath(Path.Combine(sweepDirectory, "sweep.html"))}");
                return swept.Rows.All(r => r.Knee is not null) ? ExitCodes.Ok : ExitCodes.RunFailed;
            case TelemetrySweepCommand telemetry:
                var byMode = await TelemetrySweep.RunAsync(telemetry.Settings, telemetry.Chains, telemetry.Modes, ProgressLine(), ct, telemetry.Only, telemetry.Labels);
                var telemetryDirectory = ReportWriter.DirectoryFor(telemetry.ResultsDirectory, byMode[0].StartedAt, "-telemetry");
                Console.WriteLine(await TelemetryWriter.WriteAsync(byMode, telemetryDirectory, ct));
                Console.WriteLine($"Report: {Path.GetFullPath(Path.Combine(telemetryDirectory, "telemetry.md"))}");
                return byMode.SelectMany(r => r.Rows).All(r => r.Reconciliation.Matches && r.Run.Failed == 0) ? ExitCodes.Ok : ExitCodes.RunFailed;
            default:
                throw new UsageException($"'{command}' is not run from the console");
        }
    }

    private static async Task<int> CompareAsync(CompareCommand compare, CancellationToken ct)
    {
        // The baseline is read first: a wrong file is a usage error, not something to find after minutes of measuring.
        var baseline = compare.Baseline is { } check ? await BaselineReports.ReadComparisonAsync(check.Path, ct) : null;
        var reports = new List<ComparisonReport>();
        // Repeats go together, one directory each under one benchmark directory, with their summary beside them.
        var benchmark = compare.Repeat > 1 ? ReportWriter.DirectoryFor(compare.ResultsDirectory, DateTimeOffset.Now, "-benchmark") : null;
        for (var i = 1; i <= compare.Repeat; i++)
        {
            if (benchmark is not null) Console.WriteLine($"Comparison {i} of {compare.Repeat}");
            var run = $"run-{i}";
            var recorded = await RecordedComparison.RunAsync(compare.Settings, compare.Chains,
                report => benchmark is null ? ReportWriter.DirectoryFor(compare.ResultsDirectory, report.StartedAt) : Path.Combine(benchmark, run),
                ProgressLine(), ct, compare.Only is { } only ? ChainComparison.WithCeilings(only, compare.Settings, compare.Chains) : null, compare.Labels);
            Console.WriteLine(recorded.Table);
            Console.WriteLine($"Report: {recorded.Page}");
            reports.Add(recorded.Report);
        }
        if (benchmark is not null)
        {
            var summary = RepeatSummary.Markdown(reports);
            await File.WriteAllTextAsync(Path.Combine(benchmark, "summary.md"),
                $"# {ReportWriter.Title}: {reports.Count} runs\n\n{ReportWriter.Labelled(compare.Labels)}{summary}", ct);
            Console.WriteLine(summary);
            Console.WriteLine($"Summary: {Path.GetFullPath(Path.Combine(benchmark, "summary.md"))}");
        }
        var passed = reports.SelectMany(r => r.Rows).All(r => r.Reconciliation.Matches && r.Run.Failed == 0) ? ExitCodes.Ok : ExitCodes.RunFailed;
        return baseline is null ? passed : Judged(BaselineComparison.Of(baseline, reports[0]), compare.Baseline!, Console.Out, passed);
    }

    private static async Task<int> RunLoadAsync(LoadCommand load, CancellationToken ct)
    {
        var baseline = load.Baseline is { } check ? await BaselineReports.ReadRunAsync(check.Path, ct) : null;
        // Only the summary on a console reads well with lines before and after it; anything else keeps stdout to itself.
        var console = load.Output == OutputFormat.Summary && load.OutputFile is null ? Console.Out : Console.Error;
        var settings = load.Settings;
        await using var target = LoadTargets.Create(settings);
        console.Write(RunWriter.Header(settings, target.Shape(settings)));

        var startedAt = DateTimeOffset.Now;
        var run = await LoadRun.RunAsync("measured", target, settings, ProgressLine(), ct);
        var report = new RunReport(startedAt, ChainComparison.Machine(), run) { Labels = load.Labels };

        var output = RunWriter.Render(report, load.Output, load.Distribution);
        if (load.OutputFile is { } file)
        {
            await File.WriteAllTextAsync(file, load.Output == OutputFormat.Summary ? RunWriter.Header(settings, run.ConnectionShape) + output : output, ct);
            console.WriteLine($"{load.Output.ToString().ToLowerInvariant()}: {Path.GetFullPath(file)}");
        }
        else
        {
            Console.Write(output);
        }
        return baseline is null ? ExitCodes.Ok : Judged(BaselineComparison.Of(baseline, report), load.Baseline!, console, ExitCodes.Ok);
    }

    /// <summary>Prints the run against its baseline and each breached threshold; a breach's exit code wins over <paramref name="passed"/>'s.</summary>
    public static int Judged(BaselineComparison comparison, BaselineCheck check, TextWriter output, int passed)
    {
        output.WriteLine($"\nAgainst the baseline {check.Path}:\n");
        output.WriteLine(comparison.Table());
        var breaches = comparison.Breaches(check.FailIf);
        foreach (var breach in breaches) output.WriteLine($"FAIL {breach}");
        if (check.FailIf.Count > 0 && breaches.Count == 0) output.WriteLine($"No threshold breached ({string.Join(", ", check.FailIf)}).");
        return breaches.Count > 0 ? ExitCodes.ThresholdBreached : passed;
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
