using LoadGenerator.Runs;

namespace LoadGenerator.Reports;

/// <summary>A comparison run and written to its report directory: what the CLI's compare and the dashboard's commands both do.</summary>
public sealed record RecordedComparison(ComparisonReport Report, string Directory, string Table)
{
    /// <summary>The report's page with its charts.</summary>
    public string Page => Path.Combine(Directory, "report.html");

    /// <summary>
    /// Runs the comparison (just the rows <paramref name="only"/> plans, if given) and writes it, with its name and tags, where
    /// <paramref name="directoryFor"/> says.
    /// </summary>
    public static async Task<RecordedComparison> RunAsync(CompareSettings compare, ChainAddresses chains, Func<ComparisonReport, string> directoryFor,
        IProgress<RunProgress>? progress, CancellationToken ct, IEnumerable<PlannedRow>? only = null, RunLabels? labels = null)
    {
        var report = await ChainComparison.RunAsync(compare, chains, progress, ct, only) with { Labels = labels ?? RunLabels.None };
        var directory = Path.GetFullPath(directoryFor(report));
        // A cancelled run's finished rows are written all the same: its token has already been cancelled.
        return new RecordedComparison(report, directory, await ReportWriter.WriteAsync(report, directory, report.Cancelled ? CancellationToken.None : ct));
    }
}
