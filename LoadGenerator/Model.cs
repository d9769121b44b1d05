using System.Text.Json.Serialization;
using Protos;
using Protos.Control;
using ServiceDefaults;

namespace LoadGenerator;

/// <summary>What a run sends to: the REST edge, the gRPC unary edge, the gRPC streaming edge, or the edge's no-op of the same shape (a ceiling).</summary>
public enum TargetKind { Rest, GrpcUnary, GrpcStream, RestNoop, GrpcNoop, GrpcStreamNoop }

/// <summary>Everything that defines one load run; the report repeats it so a figure can be reproduced.</summary>
public sealed record LoadSettings
{
    public required TargetKind Target { get; init; }

    /// <summary>REST: the full URL of <c>/aggregate</c>; gRPC: <c>http://host:port</c>.</summary>
    public required Uri Address { get; init; }

    /// <summary>Closed loop: stop after this many measured requests (like ab/ghz <c>-n</c>).</summary>
    public int? Requests { get; init; }

    /// <summary>Closed or open loop: stop after this long (like ghz <c>-z</c>).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Closed loop: requests in flight at once (<c>-c</c>). Open loop: the most allowed in flight.</summary>
    public int Concurrency { get; init; } = RunDefaults.Concurrency;

    /// <summary>Open loop: requests per second sent on a fixed schedule, whatever the answers do (<c>--rps</c>).</summary>
    public double? Rate { get; init; }

    /// <summary>Load before the measured window, not counted.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(RunDefaults.WarmupSeconds);

    public long Seed { get; init; } = BatchSpec.DefaultSeed;
    public int Size { get; init; } = BatchSpec.DefaultSize;

    /// <summary>REST: the connection pool's limit (ignored without keep-alive). gRPC: HTTP/2 connections opened.</summary>
    public int Connections { get; init; } = 1;

    /// <summary>gRPC streaming edge only: bidi streams opened on each connection; requests are pipelined over them.</summary>
    public int StreamsPerConnection { get; init; } = 1;

    /// <summary>REST only: reuse connections (ab's <c>-k</c>); without it every request opens a new TCP connection.</summary>
    public bool KeepAlive { get; init; } = true;

    /// <summary>gRPC only: how the chain uses its bidi hops for these requests; null = the services' default.</summary>
    public StreamMode? StreamMode { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}

public sealed record LatencySummary(double MeanMs, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs);

/// <summary>
/// What the load generator saw of one measured window. <see cref="Sent"/> is counted where requests are handed to the
/// target, the outcomes where answers come back: every request sent is one or the other, or the counts say otherwise.
/// </summary>
/// <param name="Seconds">The measured window: from its start until the last answer came back.</param>
/// <param name="SendingSeconds">How long sending lasted: a closed loop's time until its last send; an open loop's schedule (its requests at the rate asked).</param>
public sealed record RunResult(
    string Name,
    LoadSettings Settings,
    string ConnectionShape,
    long Sent,
    long Succeeded,
    IReadOnlyDictionary<string, long> Errors,
    long Unsent,
    double Seconds,
    double SendingSeconds,
    LatencySummary Latency)
{
    public long Failed => Errors.Values.Sum();

    /// <summary>Goodput: successful answers per second. Failures are counted beside it, never in it.</summary>
    public double RequestsPerSecond => Seconds > 0 ? Succeeded / Seconds : 0;

    /// <summary>Requests sent per second of sending: in an open loop the rate really offered, the one asked less what was never sent.</summary>
    public double SentPerSecond => SendingSeconds > 0 ? Sent / SendingSeconds : 0;

    /// <summary>What the run measured: how rows are found, in this report and across reports (not written to the JSON, it is its settings).</summary>
    [JsonIgnore]
    public Scenario Scenario => Scenario.Of(Settings);
}

/// <summary>One process's CPU over a measured window, from the operating system's accounting (user + system).</summary>
public sealed record ServiceCpu(string Service, double CpuMs, double CpuMsPerRequest, double PercentOfCore, long Served, long Failed);

/// <summary>CPU of each sampled process over one second of the window, percent of one core.</summary>
public sealed record CpuPoint(double Second, IReadOnlyDictionary<string, double> PercentOfCore);

/// <summary>Does what the load generator saw match what each service of the chain says it served?</summary>
public sealed record Reconciliation(bool Matches, long LoadGeneratorSucceeded, IReadOnlyDictionary<string, long> ServedByService, string Detail);

/// <summary>One row of a comparison: a run, what it cost each service, and what else used the machine meanwhile.</summary>
public sealed record ComparisonRow(
    RunResult Run,
    string Chain,
    IReadOnlyList<ServiceCpu> Services,
    double ChainCpuMsPerRequest,
    double ChainPercentOfCore,
    ServiceCpu LoadGenerator,
    ServiceCpu? Machine,
    Runs.OtherProcesses Others,
    Runs.QuietWait Quiet,
    Reconciliation Reconciliation,
    IReadOnlyList<CpuPoint> CpuTimeline)
{
    /// <summary>How long the row warmed up before its window: the warm-up asked, longer while the rate still rose.</summary>
    public double WarmupSeconds { get; init; }

    /// <summary>Throughput as a fraction of the no-op hop of the same shape (<see cref="Scenario.Ceiling"/>), measured in the same run; null for the ceiling rows.</summary>
    public double? OfCeiling { get; init; }

    /// <summary>The chain's CPU-ms per request divided by its hops (the load generator's call and the two between services).</summary>
    public double CpuMsPerRequestPerHop => ChainCpuMsPerRequest / Services.Count;
}

public sealed record MachineInfo(int Cores, string Os, string Runtime);

public sealed record ComparisonReport(
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    string Telemetry,
    IReadOnlyList<ComparisonRow> Rows);
