using System.Text.Json;
using System.Text.RegularExpressions;

namespace LoadGenerator.Reports;

/// <summary>
/// The README's results, generated from the raw reports committed beside them (never typed): the section between
/// <c>&lt;!-- results: DIR --&gt;</c> and <c>&lt;!-- /results --&gt;</c> is <see cref="RepeatSummary"/> of the
/// report.json files under DIR.
/// </summary>
public static partial class ReadmeResults
{
    [GeneratedRegex(@"(?<open><!-- results: (?<dir>[^ ]+) -->\n)(?<body>.*?)(?<close><!-- /results -->)", RegexOptions.Singleline)]
    private static partial Regex Section();

    /// <summary>Every report.json under <paramref name="directory"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<ComparisonReport>> LoadAsync(string directory, CancellationToken ct)
    {
        var reports = new List<ComparisonReport>();
        foreach (var file in Directory.EnumerateFiles(directory, "report.json", SearchOption.AllDirectories))
        {
            await using var json = File.OpenRead(file);
            reports.Add(await JsonSerializer.DeserializeAsync(json, ReportWriter.ReadableJson.ComparisonReport, ct)
                ?? throw new InvalidDataException($"{file} holds no report"));
        }
        if (reports.Count == 0) throw new FileNotFoundException($"no report.json under {directory}");
        return reports.OrderBy(r => r.StartedAt).ToList();
    }

    /// <summary>The results directory the README's section names, relative to the README.</summary>
    public static string DirectoryOf(string readme) =>
        Section().Match(readme) is { Success: true } match
            ? match.Groups["dir"].Value
            : throw new InvalidDataException("the README has no '<!-- results: DIR -->' … '<!-- /results -->' section");

    /// <summary>The README with its results section rendered from <paramref name="reports"/>.</summary>
    public static string Render(string readme, IReadOnlyList<ComparisonReport> reports) =>
        Section().Replace(readme, match => match.Groups["open"].Value + "\n" + RepeatSummary.Markdown(reports) + "\n" + match.Groups["close"].Value, 1);

    /// <summary>Rewrites the README's results section from the reports in the directory it names.</summary>
    public static async Task<string> UpdateAsync(string readmePath, CancellationToken ct)
    {
        var readme = await File.ReadAllTextAsync(readmePath, ct);
        var directory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(readmePath))!, DirectoryOf(readme));
        var updated = Render(readme, await LoadAsync(directory, ct));
        await File.WriteAllTextAsync(readmePath, updated, ct);
        return directory;
    }
}
