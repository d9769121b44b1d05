namespace LoadGenerator;

/// <summary>A comparison: every row, measured one after another on one machine, with the telemetry its services ran with.</summary>
/// <param name="Cancelled">The run was stopped before its last row: only the rows it finished are here.</param>
public sealed record ComparisonReport(
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    string Telemetry,
    IReadOnlyList<ComparisonRow> Rows,
    bool Cancelled = false) : LabelledReport;
