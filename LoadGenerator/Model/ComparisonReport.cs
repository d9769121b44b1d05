namespace LoadGenerator;

/// <summary>A comparison: every row, measured one after another on one machine, with the telemetry its services ran with.</summary>
public sealed record ComparisonReport(
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    string Telemetry,
    IReadOnlyList<ComparisonRow> Rows) : LabelledReport;
