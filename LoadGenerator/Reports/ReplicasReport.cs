using static LoadGenerator.Reports.ReportWriter;

namespace LoadGenerator.Reports;

/// <summary>How a row's requests spread over the replicas of a service run as several (scripts/multihost.sh --replicas).</summary>
public static class ReplicasReport
{
    internal const string Title = "Spread over replicas";

    internal const string Note =
        "A service run as several replicas: what each served in the row's window and its share, and the connections and streams open to it at the window's end " +
        "(one of those connections is the load generator's, reading its /stats). " +
        "A client that balances per request spreads them evenly; one that balances per connection sends a long-lived HTTP/2 connection's calls, and its streams, all to one.";

    /// <summary>Each replica of the services run as several, row by row; no rows when none ran so.</summary>
    internal static (IReadOnlyList<Column> Columns, IReadOnlyList<string[]> Rows) Table(ComparisonReport report)
    {
        Column[] columns = [new("run", false), new("service", false), new("replica", false), new("served", true), new("share", true),
            new("connections open", true), new("streams open", true)];
        return (columns, report.Rows.SelectMany(row => (row.Replicas ?? []).Select(replica => (string[])
        [
            row.Run.Name, replica.Service, replica.Address.Authority, Count(replica.Served), Percent(100 * replica.Share),
            Count(replica.ConnectionsOpen), Count(replica.StreamsOpen),
        ])).ToList());
    }

    /// <summary>The section of report.md; nothing when no service ran as several replicas.</summary>
    public static string Markdown(ComparisonReport report) =>
        Table(report) is { Rows.Count: > 0 } table ? $"## {Title}\n\n{Note}\n\n{ReportWriter.Markdown(table)}\n" : "";

    /// <summary>
    /// Reports of the same rows balanced different ways (their <c>balance</c> tag), side by side: per row and replicated
    /// service, each replica's share in turn, the row's rate and whether its counts reconcile. The README's table.
    /// </summary>
    public static string Spread(IReadOnlyList<ComparisonReport> reports)
    {
        Column[] columns = [new("balanced", false), new("run", false), new("service", false), new("each replica's share", false), new("req/s", true), new("counts", false)];
        var rows = reports.SelectMany(report => report.Rows.Where(row => row.Replicas is { Count: > 0 }).SelectMany(row =>
            row.Replicas!.GroupBy(r => r.Service).Select(service => (string[])
            [
                report.Labels.Tags?.GetValueOrDefault("balance") ?? "–", row.Run.Name, service.Key,
                string.Join(" / ", service.Select(r => Percent(100 * r.Share))), Throughput(row.Run.RequestsPerSecond), Counts(row),
            ]))).ToList();
        return ReportWriter.Markdown((columns, rows));
    }
}
