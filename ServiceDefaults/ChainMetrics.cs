using System.Diagnostics.Metrics;
using ServiceDefaults.Wire;

namespace ServiceDefaults;

/// <summary>
/// The project's own meter: what the runtime's metrics don't show. CPU as percent of one core (the runtime only
/// publishes a cumulative counter), and requests and stream messages per second (grpc-dotnet publishes none, and
/// ASP.NET Core counts a whole bidi stream as one request).
/// </summary>
public static class ChainMetrics
{
    public const string MeterName = "Chain";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("chain.stream.messages", "{message}", "Messages read from or written to bidi streams");

    private static readonly UpDownCounter<long> Streams = Meter.CreateUpDownCounter<long>("chain.streams.open", "{stream}", "Bidi streams this service is serving");

    /// <summary>The chain's own requests: what the load generator reconciles a chain's rows against.</summary>
    public static readonly RequestCount Requests = new(
        Meter.CreateCounter<long>("chain.requests.served", "{request}", "Requests answered successfully"),
        Meter.CreateCounter<long>("chain.requests.failed", "{request}", "Requests answered with an error"));

    /// <summary>The ceiling's no-op requests, counted apart so they neither inflate the chain's counts nor go unreconciled.</summary>
    public static readonly RequestCount Noops = new(null, null);

    private static long messagesIn, messagesOut, streamsOpened, streamsOpen, connectionsOpen;

    static ChainMetrics()
    {
        var cpu = new RateOf(() => Environment.CpuUsage.TotalTime.TotalSeconds);
        Meter.CreateObservableGauge("chain.process.cpu", () => cpu.PerSecond() * 100, "%", "CPU time of this process, percent of one core");
        var requests = new RateOf(() => Requests.Served);
        Meter.CreateObservableGauge("chain.requests.rate", requests.PerSecond, "{request}/s", "Requests answered successfully per second");
        var messages = new RateOf(() => Volatile.Read(ref messagesIn) + Volatile.Read(ref messagesOut));
        Meter.CreateObservableGauge("chain.stream.messages.rate", messages.PerSecond, "{message}/s", "Bidi stream messages read and written per second");
        Meter.CreateObservableGauge("chain.requests.in_flight", () => Requests.InFlight, "{request}", "Requests being served: what piles up when a downstream is slow");
        Meter.CreateObservableCounter("chain.wire.bytes", WireCounting.Measurements, "By", "Bytes read and written on this service's HTTP connections, as server and as client");
    }

    public static void ConnectionOpened() => Interlocked.Increment(ref connectionsOpen);

    public static void ConnectionClosed() => Interlocked.Decrement(ref connectionsOpen);

    public static void MessageIn()
    {
        Interlocked.Increment(ref messagesIn);
        Messages.Add(1, new KeyValuePair<string, object?>("direction", "in"));
    }

    public static void MessageOut()
    {
        Interlocked.Increment(ref messagesOut);
        Messages.Add(1, new KeyValuePair<string, object?>("direction", "out"));
    }

    public static void StreamOpened()
    {
        Interlocked.Increment(ref streamsOpened);
        Interlocked.Increment(ref streamsOpen);
        Streams.Add(1);
    }

    public static void StreamClosed()
    {
        Interlocked.Decrement(ref streamsOpen);
        Streams.Add(-1);
    }

    public static ServiceStats Snapshot(string telemetry) => new(Environment.ProcessId, telemetry,
        Requests.Served, Requests.Failed, Volatile.Read(ref messagesIn), Volatile.Read(ref messagesOut),
        Volatile.Read(ref streamsOpened), Volatile.Read(ref streamsOpen),
        Environment.CpuUsage.UserTime.TotalMilliseconds, Environment.CpuUsage.PrivilegedTime.TotalMilliseconds,
        Requests.InFlight, Volatile.Read(ref connectionsOpen), Environment.WorkingSet, GC.GetTotalMemory(false), Noops.Served)
    {
        ServerBytes = WireCounting.Server.Total(),
        ClientBytes = WireCounting.Client.Total(),
        HeldBytes = HeldAfterLastGc(),
    };

    /// <summary>What survived the latest garbage collection, all generations: what the process holds, not what it has yet to collect.</summary>
    private static long HeldAfterLastGc()
    {
        long held = 0;
        foreach (var generation in GC.GetGCMemoryInfo().GenerationInfo) held += generation.SizeAfterBytes;
        return held;
    }
}

/// <summary>One kind of request as a service takes it on: each is in flight until it ends as served or failed.</summary>
public sealed class RequestCount(Counter<long>? servedCounter, Counter<long>? failedCounter)
{
    private long inFlight, served, failed;

    public long InFlight => Volatile.Read(ref inFlight);
    public long Served => Volatile.Read(ref served);
    public long Failed => Volatile.Read(ref failed);

    /// <summary>A request is taken on; it ends with <see cref="Serve"/> or <see cref="Fail"/>.</summary>
    public void Start() => Interlocked.Increment(ref inFlight);

    public void Serve()
    {
        Interlocked.Decrement(ref inFlight);
        Interlocked.Increment(ref served);
        servedCounter?.Add(1);
    }

    /// <summary>A request taken on and served at once, never in flight: a no-op.</summary>
    public void ServeAtOnce()
    {
        Interlocked.Increment(ref served);
        servedCounter?.Add(1);
    }

    public void Fail()
    {
        Interlocked.Decrement(ref inFlight);
        Interlocked.Increment(ref failed);
        failedCounter?.Add(1);
    }
}

/// <summary>
/// What <c>GET /stats</c> answers: the counts a load run reconciles against (the chain's requests, and the ceiling's
/// no-ops apart), this process's CPU, and what a soak watches for growth (requests in flight, open connections and
/// streams, working set, GC heap), and the bytes on its connections, as server and as client.
/// </summary>
public sealed record ServiceStats(int ProcessId, string Telemetry, long Served, long Failed, long MessagesIn, long MessagesOut,
    long StreamsOpened, long StreamsOpen, double CpuUserMs, double CpuSystemMs,
    long InFlight, long ConnectionsOpen, long WorkingSetBytes, long GcHeapBytes, long NoopsServed)
{
    /// <summary>Bytes read and written by this service's Kestrel, on every endpoint (probes included); none from a service that doesn't count them.</summary>
    public WireBytes ServerBytes { get; init; }

    /// <summary>Bytes read and written by this service's client of its downstream: the hop it calls, alone.</summary>
    public WireBytes ClientBytes { get; init; }

    /// <summary>
    /// The managed heap that survived the latest garbage collection. Unlike the working set and the GC heap, which include
    /// garbage not yet collected (how much depends on the GC's budget on this processor), it grows only with what is held.
    /// </summary>
    public long HeldBytes { get; init; }
}
