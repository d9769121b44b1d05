using LoadGenerator.Baselines;

namespace LoadGenerator.Cli;

/// <summary>The report a run is set against (<c>--baseline</c>) and the changes it may not make (<c>--fail-if</c>).</summary>
public sealed record BaselineCheck(string Path, IReadOnlyList<Threshold> FailIf);
