namespace LoadGenerator;

/// <summary>The machine a report was measured on.</summary>
public sealed record MachineInfo(int Cores, string Os, string Runtime);
