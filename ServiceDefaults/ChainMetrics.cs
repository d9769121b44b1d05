using System.Diagnostics;
using System.Diagnostics.Metrics;

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
    private static readonly Counter<long> Served = Meter.CreateCounter<long>("chain.requests.served", "{request}", "Requests answered successfully");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("chain.requests.failed", "{request}", "Requests answered with an error");
    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("chain.stream.messages", "{message}", "Messages read from or written to bidi streams");

    private static readonly UpDownCounter<long> Streams = Meter.CreateUpDownCounter<long>("chain.streams.open", "{stream}", "Bidi streams this service is serving");

    private static long inFlight, served, failed, messagesIn, messagesOut, streamsOpened, streamsOpen, connectionsOpen;

    static ChainMetrics()
    {
        var cpu = new RateOf(() => Environment.CpuUsage.TotalTime.TotalSeconds);
        Meter.CreateObservableGauge("chain.process.cpu", () => cpu.PerSecond() * 100, "%", "CPU time of this process, percent of one core");
        var requests = new RateOf(() => Volatile.Read(ref served));
        Meter.CreateObservableGauge("chain.requests.rate", requests.PerSecond, "{request}/s", "Requests answered successfully per second");
        var messages = new RateOf(() => Volatile.Read(ref messagesIn) + Volatile.Read(ref messagesOut));
        Meter.CreateObservableGauge("chain.stream.messages.rate", messages.PerSecond, "{message}/s", "Bidi stream messages read and written per second");
        Meter.CreateObservableGauge("chain.requests.in_flight", () => Volatile.Read(ref inFlight), "{request}", "Requests being served: what piles up when a downstream is slow");
    }

    /// <summary>A request is taken on; it ends with <see cref="RequestServed"/> or <see cref="RequestFailed"/>.</summary>
    public static void RequestStarted() => Interlocked.Increment(ref inFlight);

    public static void RequestServed()
    {
        Interlocked.Decrement(ref inFlight);
        Interlocked.Increment(ref served);
        Served.Add(1);
    }

    public static void RequestFailed()
    {
        Interlocked.Decrement(ref inFlight);
        Interlocked.Increment(ref failed);
        Failed.Add(1);
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
        Volatile.Read(ref served), Volatile.Read(ref failed), Volatile.Read(ref messagesIn), Volatile.Read(ref messagesOut),
        Volatile.Read(ref streamsOpened), Volatile.Read(ref streamsOpen),
        Environment.CpuUsage.UserTime.TotalMilliseconds, Environment.CpuUsage.PrivilegedTime.TotalMilliseconds,
        Volatile.Read(ref inFlight), Volatile.Read(ref connectionsOpen), Environment.WorkingSet, GC.GetTotalMemory(false));

    /// <summary>Turns a cumulative reading into a rate over the time since the last observation.</summary>
    private sealed class RateOf(Func<double> read)
    {
        private readonly Lock gate = new();
        private double last = read();
        private long lastTicks = Stopwatch.GetTimestamp();

        public double PerSecond()
        {
            lock (gate)
            {
                var now = Stopwatch.GetTimestamp();
                var value = read();
                var seconds = Stopwatch.GetElapsedTime(lastTicks, now).TotalSeconds;
                var rate = seconds > 0 ? (value - last) / seconds : 0;
                (last, lastTicks) = (value, now);
                return rate;
            }
        }
    }
}

/// <summary>
/// What <c>GET /stats</c> answers: the counts a load run reconciles against, this process's CPU, and what a soak watches
/// for growth (requests in flight, open connections and streams, working set, GC heap).
/// </summary>
public sealed record ServiceStats(int ProcessId, string Telemetry, long Served, long Failed, long MessagesIn, long MessagesOut,
    long StreamsOpened, long StreamsOpen, double CpuUserMs, double CpuSystemMs,
    long InFlight = 0, long ConnectionsOpen = 0, long WorkingSetBytes = 0, long GcHeapBytes = 0);
