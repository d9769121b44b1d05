using LoadGenerator.Reports;
using LoadGenerator.Runs;

namespace LoadGenerator.Cli;

/// <summary>What the command line asks for.</summary>
public abstract record Command;

/// <summary>One run against one target, like an ab or ghz line.</summary>
/// <param name="Distribution">Also print the whole latency distribution, as HdrHistogram prints it (<c>--hdr</c>).</param>
public sealed record LoadCommand(LoadSettings Settings, bool Distribution = false) : Command
{
    /// <summary>How the result is written (<c>-O</c>).</summary>
    public OutputFormat Output { get; init; }

    /// <summary>Where it is written (<c>-o</c>); null is the console.</summary>
    public string? OutputFile { get; init; }

    public RunLabels Labels { get; init; } = RunLabels.None;

    public BaselineCheck? Baseline { get; init; }
}

/// <summary>The REST-vs-gRPC comparison, written to a report directory; repeated, it also gives median and spread.</summary>
public sealed record CompareCommand(CompareSettings Settings, ChainAddresses Chains, string ResultsDirectory, int Repeat = 1) : Command
{
    /// <summary>Just these rows, each with its ceiling (<c>--only</c>); null runs them all.</summary>
    public IReadOnlyList<Scenario>? Only { get; init; }

    public RunLabels Labels { get; init; } = RunLabels.None;

    public BaselineCheck? Baseline { get; init; }
}

/// <summary>Each chain held at a share of its capacity for minutes, its services' memory, connections and streams sampled every second.</summary>
public sealed record SoakCommand(SoakSettings Settings, ChainAddresses Chains, string ResultsDirectory) : Command
{
    public RunLabels Labels { get; init; } = RunLabels.None;
}

/// <summary>Latency against offered load, row by row of the comparison (just <paramref name="Only"/>'s rows, if given), and each row's knee.</summary>
public sealed record SweepCommand(SweepSettings Settings, ChainAddresses Chains, string ResultsDirectory, Scenario? Only = null) : Command
{
    public RunLabels Labels { get; init; } = RunLabels.None;
}

/// <summary>The comparison's rows (just <paramref name="Only"/>'s, each with its ceiling, if given) under each telemetry mode, on the same processes.</summary>
public sealed record TelemetrySweepCommand(CompareSettings Settings, ChainAddresses Chains, IReadOnlyList<ServiceDefaults.TelemetryMode> Modes,
    string ResultsDirectory, IReadOnlyList<Scenario>? Only = null) : Command
{
    public RunLabels Labels { get; init; } = RunLabels.None;
}

/// <summary>Regenerates the README's results section from the reports in the directory the section names.</summary>
public sealed record ReadmeCommand(string Readme) : Command;

/// <summary>Run as the AppHost's load-generator resource.</summary>
public sealed record ServeCommand : Command;

/// <summary>The help of the command asked about, as System.CommandLine generates it.</summary>
public sealed record HelpCommand(string Text) : Command;
