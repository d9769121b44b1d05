namespace Protos.Control;

/// <summary>A run as the dashboard follows it: <c>GET /runs/{id}</c>.</summary>
public sealed record RunStatus(string Id, RunKind Kind, RunState State, string Progress, string? Markdown = null, string? ReportDirectory = null, string? Error = null);
