using System.Text.Json;
using System.Text.RegularExpressions;
using LoadGenerator.Runs;

namespace LoadGenerator.Reports;

/// <summary>
/// The README's figures, generated from the raw reports committed beside them (never typed). Each section between
/// <c>&lt;!-- KIND: DIR --&gt;</c> and <c>&lt;!-- /KIND --&gt;</c> is rendered from the files under DIR:
/// <c>results</c> is <see cref="RepeatSummary"/> of every report.json there, <c>attribution</c> the
/// <see cref="Attribution"/> walks of its one report.json, <c>knees</c> the knee table of its sweep.json, <c>telemetry</c>
/// the price table of a telemetry sweep's reports (one report.json per mode), <c>replicas</c> the spread over replicas of
/// multihost reports balanced different ways.
/// </summary>
public static partial class ReadmeResults
{
    [GeneratedRegex(@"(?<open><!-- (?<kind>results|attribution|knees|telemetry|replicas): (?<dir>[^ ]+) -->\n)(?<body>.*?)(?<close><!-- /\k<kind> -->)", RegexOptions.Singleline)]
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

    /// <summary>The directories the README's sections name, relative to the README, by kind.</summary>
    public static IReadOnlyList<(string Kind, string Directory)> SectionsOf(string readme)
    {
        var sections = Section().Matches(readme).Select(m => (m.Groups["kind"].Value, m.Groups["dir"].Value)).ToList();
        return sections.Count > 0
            ? sections
            : throw new InvalidDataException("the README has no '<!-- results: DIR -->' … '<!-- /results -->' section");
    }

    /// <summary>The README with every generated section rendered from the files its section names, under <paramref name="root"/>.</summary>
    public static async Task<string> RenderAsync(string readme, string root, CancellationToken ct)
    {
        var rendered = new Dictionary<(string, string), string>();
        foreach (var (kind, directory) in SectionsOf(readme))
        {
            rendered[(kind, directory)] = await RenderSectionAsync(kind, Path.Combine(root, directory), ct);
        }
        return Section().Replace(readme, match =>
            match.Groups["open"].Value + "\n" + rendered[(match.Groups["kind"].Value, match.Groups["dir"].Value)] + "\n" + match.Groups["close"].Value);
    }

    private static async Task<string> RenderSectionAsync(string kind, string directory, CancellationToken ct) => kind switch
    {
        "results" => RepeatSummary.Markdown(await LoadAsync(directory, ct)),
        "attribution" => AttributionReport.Walks((await LoadAsync(directory, ct)).Single(), "####"),
        "telemetry" => TelemetryWriter.Price((await LoadAsync(directory, ct)).OrderBy(TelemetrySweep.ModeOf).ToList()),
        "replicas" => ReplicasReport.Spread(await LoadAsync(directory, ct)),
        _ => ReportWriter.Markdown(SweepWriter.KneeTable(await LoadSweepAsync(directory, ct))),
    };

    private static async Task<SweepReport> LoadSweepAsync(string directory, CancellationToken ct)
    {
        var file = Directory.EnumerateFiles(directory, "sweep.json", SearchOption.AllDirectories).SingleOrDefault()
            ?? throw new FileNotFoundException($"no sweep.json under {directory}");
        await using var json = File.OpenRead(file);
        return await JsonSerializer.DeserializeAsync(json, ReportWriter.ReadableJson.SweepReport, ct)
            ?? throw new InvalidDataException($"{file} holds no sweep");
    }

    /// <summary>
    /// <paramref name="readme"/> as given, or, relative and not here, in the nearest directory above that has it:
    /// <c>dotnet run --project LoadGenerator</c> runs in the project's directory, not the repository's.
    /// </summary>
    public static string Find(string readme)
    {
        if (File.Exists(readme) || Path.IsPathRooted(readme)) return readme;
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()).Parent; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, readme);
            if (File.Exists(candidate)) return candidate;
        }
        return readme;
    }

    /// <summary>Rewrites the README's generated sections from the reports in the directories they name; returns those directories.</summary>
    public static async Task<IReadOnlyList<string>> UpdateAsync(string readmePath, CancellationToken ct)
    {
        var readme = await File.ReadAllTextAsync(readmePath, ct);
        var root = Path.GetDirectoryName(Path.GetFullPath(readmePath))!;
        await File.WriteAllTextAsync(readmePath, await RenderAsync(readme, root, ct), ct);
        return SectionsOf(readme).Select(section => section.Directory).ToList();
    }
}
