namespace LoadGenerator.Runs;

/// <summary>One row a comparison will run: its settings, and its name in the report (its scenario's, and the batch size in a sweep).</summary>
public sealed record PlannedRow(LoadSettings Settings, string Name)
{
    public Scenario Scenario => Scenario.Of(Settings);
}
