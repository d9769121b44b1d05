using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LoadGenerator.Cli;
using LoadGenerator.Reports;

namespace LoadGenerator.Baselines;

/// <summary>Reads the report <c>--baseline</c> names: a single run's (<c>-O json</c>) for a single run, a report.json for compare.</summary>
public static class BaselineReports
{
    public static Task<RunReport> ReadRunAsync(string path, CancellationToken ct) =>
        ReadAsync(path, "run", "a single run's baseline is what -O json wrote for one", ReportWriter.ReadableJson.RunReport, ct);

    public static Task<ComparisonReport> ReadComparisonAsync(string path, CancellationToken ct) =>
        ReadAsync(path, "rows", "compare's baseline is the report.json of an earlier compare", ReportWriter.ReadableJson.ComparisonReport, ct);

    /// <summary>The report, once it is known to be the kind asked for: the other kind would read as a report of nothing.</summary>
    private static async Task<T> ReadAsync<T>(string path, string property, string expected, JsonTypeInfo<T> type, CancellationToken ct)
    {
        try
        {
            await using var file = File.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(file, cancellationToken: ct);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(property, out _)
                ? document.Deserialize(type)!
                : throw new UsageException($"--baseline {path} is not the kind of report this run is: {expected}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new UsageException($"--baseline {path} can't be read: {e.Message}");
        }
    }
}
