namespace Protos.Control;

/// <summary>The load generator serves its <c>results/</c> directory read-only under <see cref="Path"/>: the dashboard links a run's report there.</summary>
public static class ServedReports
{
    public const string Path = "/results";

    /// <summary>The newest report page under <paramref name="resultsDirectory"/> as served (<c>/results/…/report.html</c>); null before the first.</summary>
    public static string? Newest(string resultsDirectory) =>
        Directory.Exists(resultsDirectory)
            ? Directory.EnumerateFiles(resultsDirectory, "report.html", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc).Select(page => PageOf(resultsDirectory, page)).FirstOrDefault()
            : null;

    /// <summary>A file under <paramref name="resultsDirectory"/> as served.</summary>
    public static string PageOf(string resultsDirectory, string file) =>
        $"{Path}/{string.Join('/', System.IO.Path.GetRelativePath(resultsDirectory, file).Split(System.IO.Path.DirectorySeparatorChar).Select(Uri.EscapeDataString))}";
}
