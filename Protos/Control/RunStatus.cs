namespace Protos.Control;

/// <summary>A run as the dashboard follows it: <c>GET /runs/{id}</c>.</summary>
/// <param name="ReportPage">The report's page as the load generator serves it (<c>/results/…/report.html</c>), once written.</param>
public sealed record RunStatus(string Id, RunKind Kind, RunState State, string Progress, string? Markdown = null, string? ReportDirectory = null,
    string? Error = null, string? ReportPage = null);
