using System.Diagnostics;

namespace Benchmarks.Tests;

/// <summary>A program run to its end as a shell runs it: its exit code, its stdout and its stderr.</summary>
public sealed record Ran(int ExitCode, string Out, string Error)
{
    /// <param name="workingDirectory">Where it runs; the test's own directory when null.</param>
    public static async Task<Ran> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var (output, error) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return new Ran(process.ExitCode, await output, await error);
    }
}
