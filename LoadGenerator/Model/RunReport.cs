namespace LoadGenerator;

/// <summary>One run against one target as <c>-O json</c> writes it: what <c>--baseline</c> reads back.</summary>
public sealed record RunReport(DateTimeOffset StartedAt, MachineInfo Machine, RunResult Run) : LabelledReport;
