using System.Text.Json.Serialization;
using Protos;
using Protos.Control;
using ServiceDefaults;
using ServiceDefaults.Rest;

namespace LoadGenerator;

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

    /// <summary>Open loop: a rate that steps up or down over the run, as ghz's <c>--load-schedule step|line</c>; instead of <see cref="Rate"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LoadSchedule? Schedule { get; init; }

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

    /// <summary>REST only: the HTTP version every hop goes over; null = HTTP/1.1 (so reports from before read the same).</summary>
    public RestHttpVersion? HttpVersion { get; init; }

    /// <summary>REST only: the body encoding asked for, and passed on by every hop; null = JSON (so reports from before read the same).</summary>
    public RestEncoding? Encoding { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
