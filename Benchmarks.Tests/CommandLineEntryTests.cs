using LoadGenerator;
using LoadGenerator.Baselines;
using LoadGenerator.Cli;
using LoadGenerator.Reports;

namespace Benchmarks.Tests;

/// <summary>
/// The load generator as a shell runs it (its own process, its exit code, its stdout and stderr), against a Kestrel
/// server in this process: no Aspire app needed.
/// </summary>
public sealed class CommandLineEntryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("cli-entry-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Help_exits_zero_and_a_bad_line_or_a_missing_readme_exits_two_naming_what_is_wrong()
    {
        var help = await LoadgenAsync("--help");
        var typo = await LoadgenAsync("--warmpu", "1s", "http://127.0.0.1:1/aggregate");
        var twice = await LoadgenAsync("compare", "-c", "5", "-c", "6");
        var noReadme = await LoadgenAsync("readme", "no-such-readme.md");

        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.Contains("--fail-if", help.Out);
        Assert.Equal((ExitCodes.Usage, "loadgen: unknown option '--warmpu' (did you mean --warmup?)\n"), (typo.ExitCode, typo.Error));
        Assert.Equal(ExitCodes.Usage, twice.ExitCode);
        Assert.Contains("'-c' expects a single argument", twice.Error);
        Assert.Empty(typo.Out);
        Assert.Equal(ExitCodes.Usage, noReadme.ExitCode);
        Assert.StartsWith("loadgen: no no-such-readme.md here or in a directory above ", noReadme.Error);
    }

    [Fact]
    public async Task A_run_writes_its_json_to_a_file_and_a_run_against_a_much_faster_baseline_breaches_with_exit_three()
    {
        await using var server = await StallingServer.StartAsync(stallAfter: TimeSpan.FromHours(1), stallFor: TimeSpan.Zero);
        var json = Path.Combine(directory, "run.json");

        var run = await LoadgenAsync("-z", "5s", "-c", "2", "--warmup", "200ms", "-k", "-O", "json", "-o", json, "--name", "first", "--tags", "env=test", server.Address.ToString());

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Contains($"json: {json}", run.Error);
        var report = await BaselineReports.ReadRunAsync(json, CancellationToken.None);
        Assert.Equal(("first", "test"), (report.Name, report.Tags!["env"]));
        Assert.Equal(5, report.Run.PerSecond!.Count);
        Assert.True(report.Run.PerSecond.All(s => s.Succeeded > 0));

        // The same run, as if it had once answered a million a second in a microsecond: every second of this one is slower.
        var faster = Path.Combine(directory, "faster.json");
        var fasterRun = report.Run with
        {
            Succeeded = 5_000_000,
            Latency = new LatencySummary(0.001, 0.001, 0.001, 0.001, 0.001, 0.001),
            PerSecond = [.. report.Run.PerSecond.Select(_ => new SecondSample(1_000_000, 0.001, 0.001, 0.001))],
        };
        await File.WriteAllTextAsync(faster, RunWriter.Render(report with { Run = fasterRun }, OutputFormat.Json, distribution: false));

        var against = await LoadgenAsync("-z", "5s", "-c", "2", "--warmup", "200ms", "-k", "-O", "csv", "--baseline", faster, "--fail-if", "p99>+10%", server.Address.ToString());

        Assert.Equal(ExitCodes.ThresholdBreached, against.ExitCode);
        Assert.StartsWith("second,ok,p50_ms,p90_ms,p99_ms\n0,", against.Out);
        Assert.Contains($"Against the baseline {faster}:", against.Error);
        Assert.Contains("FAIL REST, JSON over HTTP/1.1: p99 ", against.Error);
        Assert.Contains("(significant (p = ", against.Error);
    }

    /// <summary>Runs the load generator built beside these tests, as <c>dotnet LoadGenerator.dll</c>.</summary>
    private static Task<Ran> LoadgenAsync(params string[] args) =>
        Ran.RunAsync("dotnet", [typeof(CommandLine).Assembly.Location, .. args], TimeSpan.FromMinutes(1));
}
