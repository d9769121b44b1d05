using System.Globalization;
using LoadGenerator.Runs;
using Protos;
using Protos.Control;
using ServiceDefaults;
using ServiceDefaults.Rest;

namespace LoadGenerator.Cli;

/// <summary>
/// Reads ab- and ghz-like command lines:
/// <c>loadgen -n 1000 -c 50 -k http://127.0.0.1:8002/aggregate</c>,
/// <c>loadgen --call AggregatorService.Aggregate -n 1000 -c 50 localhost:50053</c>,
/// <c>loadgen compare -z 10s -c 50</c>, <c>loadgen sweep --only rest</c>.
/// </summary>
public static class CommandLine
{
    public static readonly string Usage = $"""
        Usage:
          loadgen [options] http://host:port/aggregate              REST (like ab)
          loadgen --call AggregatorService.Aggregate [options] host:port        gRPC unary (like ghz)
          loadgen --call AggregatorService.AggregateStream [options] host:port  gRPC streaming edge
          loadgen compare [options]                                  REST vs gRPC on the AppHost's ports, report in results/
          loadgen benchmark [options]                                compare at standard settings (-z 20s --warmup 3s), 3 times: median and spread
          loadgen readme [README.md]                                 the README's generated sections from the reports they name
          loadgen soak [-z 10m] [--load 0.7]                         each chain at 70% of its capacity for 10 minutes: memory, connections, streams, errors
          loadgen sweep [options]                                    each row's latency at 10% to 150% of its capacity, open loop, and its knee; report in results/
        Options:
          -n N               requests to measure (closed loop)         -z D   duration to measure, e.g. 10s, 500ms, 1m
          -c N               concurrency: requests in flight (default {RunDefaults.Concurrency})
          -k                 REST keep-alive (ab's -k; without it every request opens a new connection)
          --rps R            open loop: R requests per second on a fixed schedule, latency from intended send time
          --load-schedule S  open loop whose rate changes, as ghz's: const (the --rps rate) | step | line
          --load-start R     step, line: the first rate, requests per second
          --load-step R      step, line: the change per step (a line's per second); negative goes down
          --load-step-duration D   step: how long each rate is held, e.g. 5s (a line's is 1s)
          --load-end R       step, line: change until this rate, then hold it
          --load-max-duration D    step, line: change for this long, then hold the rate reached
          --warmup D         load before measuring, not counted (default {RunDefaults.WarmupSeconds}s)
          --size N[,N...]    records per batch (default {BatchSpec.DefaultSize}; compare takes a list for a size sweep)
          --seed S           seed of the batches (default {BatchSpec.DefaultSeed})
          --connections N    gRPC: HTTP/2 connections (default 1); REST with -k: pool size (default: -c)
          --streams N        streaming edge: bidi streams per connection (default 1)
          --stream-mode M    gRPC: how the chain uses its bidi hops: shared | per-request (default: the services' own)
          --http V           REST: 1.1 | 2 (default 1.1); 2 is HTTP/2 with prior knowledge on one connection, to a
                             service's h2c port (REST port + 100, e.g. http://127.0.0.1:{ChainPorts.AggregatorRestH2c}/aggregate)
          --encoding E       REST: json | protobuf (default json): the body asked for (Accept), passed on by every hop
          -t D, --timeout D  per-request timeout (default 10s)
          --hdr              print the whole latency distribution (ms) as HdrHistogram's .hgrm text
          --host H           compare, soak, sweep: host of the AppHost's services (default localhost)
          --out DIR          compare, soak, sweep: where results/<timestamp>/ goes (default ./results)
          --repeat N         compare: run it N times and print each row's median and spread
          --load F           soak: share of the measured capacity to hold (default 0.7)
          sweep: -z D        the closed-loop run that measures each row's capacity (default 5s); -c its concurrency
          --steps P[,P...]   sweep: the rates offered, in % of capacity, rising (default 10,25,50,70,85,100,115,130,150)
          --step-duration D  sweep: how long each rate is offered (default 3s)
          --knee-factor F    sweep: the knee's p99 may be F times the lowest step's (default 3)
          --only ID          sweep: just this row ({string.Join(", ", new SweepSettings().Plan(ChainAddresses.Local()).Select(p => ScenarioIds.Of(p.Scenario)).Distinct())})
          --insecure, --proto FILE   accepted for ghz compatibility (always plaintext h2c; the contract is built in)
        """;

    private static readonly Dictionary<string, TargetKind> Calls = new(StringComparer.Ordinal)
    {
        ["AggregatorService.Aggregate"] = TargetKind.GrpcUnary,
        ["AggregatorService.AggregateStream"] = TargetKind.GrpcStream,
    };

    public static Command Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help") return new HelpCommand();
        if (args[0] == "serve") return args.Count == 1 ? new ServeCommand() : throw new UsageException("serve takes no options");
        return args[0] switch
        {
            "compare" => ParseCompare(new Options(args.Skip(1).ToList()), standard: false),
            "benchmark" => ParseCompare(new Options(args.Skip(1).ToList()), standard: true),
            "soak" => ParseSoak(new Options(args.Skip(1).ToList())),
            "sweep" => ParseSweep(new Options(args.Skip(1).ToList())),
            "readme" => args.Count <= 2 ? new ReadmeCommand(args.Count == 2 ? args[1] : "README.md") : throw new UsageException("readme takes the README's path, nothing else"),
            _ => ParseLoad(new Options(args.ToList())),
        };
    }

    /// <param name="standard">The benchmark: longer rows, a longer warm-up, three repeats, unless the options say otherwise.</param>
    private static CompareCommand ParseCompare(Options o, bool standard)
    {
        var settings = new CompareSettings
        {
            Duration = o.Duration("-z") ?? TimeSpan.FromSeconds(standard ? 20 : RunDefaults.DurationSeconds),
            Warmup = o.Duration("--warmup") ?? TimeSpan.FromSeconds(standard ? 3 : RunDefaults.WarmupSeconds),
            Concurrency = o.Positive("-c") ?? RunDefaults.Concurrency,
            Rate = o.Rate(),
            Sizes = o.Sizes() ?? [BatchSpec.DefaultSize],
            Seed = o.Long("--seed") ?? BatchSpec.DefaultSeed,
        };
        var chains = ChainAddresses.Local(o.Text("--host") ?? "localhost");
        var output = o.Text("--out") ?? "results";
        var repeat = o.Positive("--repeat") ?? (standard ? 3 : 1);
        o.RejectRest(allowTarget: false);
        return new CompareCommand(settings, chains, output, repeat);
    }

    private static SoakCommand ParseSoak(Options o)
    {
        var load = o.Text("--load") is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f is > 0 and <= 2
                ? f
                : throw new UsageException($"--load must be a share of capacity above 0 and at most 2, such as 0.7, got '{v}'")
            : 0.7;
        var sizes = o.Sizes();
        if (sizes is { Count: > 1 }) throw new UsageException("--size takes one value here; a size sweep is a compare option");
        var settings = new SoakSettings
        {
            Duration = o.Duration("-z") ?? TimeSpan.FromMinutes(10),
            Load = load,
            Concurrency = o.Positive("-c") ?? RunDefaults.Concurrency,
            Size = sizes?[0] ?? BatchSpec.DefaultSize,
            Seed = o.Long("--seed") ?? BatchSpec.DefaultSeed,
        };
        var chains = ChainAddresses.Local(o.Text("--host") ?? "localhost");
        var output = o.Text("--out") ?? "results";
        o.RejectRest(allowTarget: false);
        return new SoakCommand(settings, chains, output);
    }

    private static SweepCommand ParseSweep(Options o)
    {
        var defaults = new SweepSettings();
        var sizes = o.Sizes();
        if (sizes is { Count: > 1 }) throw new UsageException("--size takes one value here; a size sweep is a compare option");
        var settings = new SweepSettings
        {
            CapacityWindow = o.Duration("-z") ?? defaults.CapacityWindow,
            Warmup = o.Duration("--warmup") ?? defaults.Warmup,
            Concurrency = o.Positive("-c") ?? defaults.Concurrency,
            Size = sizes?[0] ?? defaults.Size,
            Seed = o.Long("--seed") ?? defaults.Seed,
            Steps = o.Percentages("--steps") ?? defaults.Steps,
            StepDuration = o.Duration("--step-duration") ?? defaults.StepDuration,
            KneeFactor = o.Text("--knee-factor") is { } f
                ? double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 1 && double.IsFinite(factor)
                    ? factor
                    : throw new UsageException($"--knee-factor must be a number above 1, such as 3, got '{f}'")
                : defaults.KneeFactor,
        };
        var chains = ChainAddresses.Local(o.Text("--host") ?? "localhost");
        var output = o.Text("--out") ?? "results";
        Scenario? only = o.Text("--only") is { } id ? OnlyRow(id, settings.Plan(chains)) : null;
        o.RejectRest(allowTarget: false);
        return new SweepCommand(settings, chains, output, only);
    }

    /// <summary>The scenario of the plan's rows that the command line names; the names offered are the plan's own.</summary>
    private static Scenario OnlyRow(string id, IEnumerable<PlannedRow> plan)
    {
        var scenarios = plan.Select(p => p.Scenario).Distinct().ToList();
        return scenarios.Where(s => ScenarioIds.Of(s) == id).Select(s => (Scenario?)s).SingleOrDefault()
            ?? throw new UsageException($"--only must name a row of the comparison: {string.Join(", ", scenarios.Select(ScenarioIds.Of))}; got '{id}'");
    }

    /// <summary>ghz's <c>--load-schedule</c> and its <c>--load-*</c> options: null for a constant rate (<c>--rps</c>) or none.</summary>
    private static LoadSchedule? Schedule(Options o, double? rps)
    {
        var kind = o.Text("--load-schedule");
        var (start, step, end) = (o.PositiveNumber("--load-start"), o.Number("--load-step"), o.PositiveNumber("--load-end"));
        var (stepDuration, max) = (o.Duration("--load-step-duration"), o.Duration("--load-max-duration"));
        var given = new (string Name, object? Value)[]
        {
            ("--load-start", start), ("--load-step", step), ("--load-end", end), ("--load-step-duration", stepDuration), ("--load-max-duration", max),
        }.Where(g => g.Value is not null).Select(g => g.Name).ToList();
        switch (kind)
        {
            case null or "const":
                if (given.Count > 0) throw new UsageException($"{given[0]} shapes a step or line schedule: add --load-schedule step or line (a const schedule's rate is --rps)");
                return null;
            case "step" or "line":
                if (rps is not null) throw new UsageException("--rps is a const schedule's rate; a step or line schedule starts at --load-start");
                if (start is not { } first) throw new UsageException($"--load-schedule {kind} needs --load-start, the first rate in requests per second");
                if (step is not { } change) throw new UsageException($"--load-schedule {kind} needs --load-step, the change per step in requests per second (negative goes down)");
                if (change == 0) throw new UsageException("--load-step must not be 0: a rate that never changes is --rps");
                if (kind == "line" && stepDuration is not null) throw new UsageException("--load-schedule line changes the rate every second; --load-step-duration is for step");
                if (kind == "step" && stepDuration is null) throw new UsageException("--load-schedule step needs --load-step-duration, how long each rate is held, such as 5s");
                if (end is { } last && (change > 0 ? last < first : last > first))
                {
                    throw new UsageException($"--load-end {Number(last)} is {(change > 0 ? "below" : "above")} --load-start {Number(first)} but --load-step {Number(change)} goes " +
                        $"{(change > 0 ? "up" : "down")}: the rate would never reach it");
                }
                var schedule = new LoadSchedule(first, change, stepDuration ?? TimeSpan.FromSeconds(1), end, max);
                if (schedule.LowestRate <= 0)
                {
                    throw new UsageException(max is null
                        ? "a falling schedule must stop above 0 requests per second: give --load-end, or --load-max-duration"
                        : $"--load-step {Number(change)} from --load-start {Number(first)} reaches 0 requests per second within --load-max-duration; give --load-end or a shorter --load-max-duration");
                }
                return schedule;
            default:
                throw new UsageException($"--load-schedule must be const, step or line, got '{kind}'");
        }
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static LoadCommand ParseLoad(Options o)
    {
        var call = o.Text("--call");
        var target = TargetKind.Rest;
        if (call is not null && !Calls.TryGetValue(call, out target))
        {
            throw new UsageException($"--call must be one of {string.Join(", ", Calls.Keys)}, got '{call}'");
        }
        o.Text("--proto");
        o.Flag("--insecure");
        var requests = o.Positive("-n");
        var duration = o.Duration("-z");
        if (requests is not null && duration is not null) throw new UsageException("give -n (requests) or -z (duration), not both");
        var concurrency = o.Positive("-c") ?? RunDefaults.Concurrency;
        var sizes = o.Sizes();
        if (sizes is { Count: > 1 }) throw new UsageException("--size takes one value here; a size sweep is a compare option");
        var rate = o.Rate();
        var schedule = Schedule(o, rate);
        var (version, encoding) = (o.HttpVersion(), o.Encoding());
        if (target != TargetKind.Rest && (version is not null || encoding is not null)) throw new UsageException("--http and --encoding are for REST runs; gRPC is always HTTP/2 and protobuf");
        var http2 = version is RestHttpVersion.Http2;
        var connections = o.Positive("--connections");
        if (http2 && connections > 1) throw new UsageException("--http 2 runs on one connection; --connections is for HTTP/1.1 and gRPC");
        var settings = new LoadSettings
        {
            Target = target,
            Address = new Uri("http://localhost"),
            Requests = requests ?? (duration is null ? 1000 : null),
            Duration = duration,
            Concurrency = concurrency,
            Rate = rate,
            Schedule = schedule,
            Warmup = o.Duration("--warmup") ?? TimeSpan.FromSeconds(RunDefaults.WarmupSeconds),
            Seed = o.Long("--seed") ?? BatchSpec.DefaultSeed,
            Size = sizes?[0] ?? BatchSpec.DefaultSize,
            // HTTP/2 keeps its one connection: there is no new connection per request to ask for.
            KeepAlive = target != TargetKind.Rest || o.Flag("-k") || http2,
            StreamsPerConnection = o.Positive("--streams") ?? 1,
            StreamMode = o.StreamMode(),
            HttpVersion = version,
            Encoding = encoding,
            Timeout = o.Duration("-t") ?? o.Duration("--timeout") ?? TimeSpan.FromSeconds(10),
            Connections = connections ?? (target == TargetKind.Rest && !http2 ? concurrency : 1),
        };
        var distribution = o.Flag("--hdr");
        return new LoadCommand(settings with { Address = Address(o.RejectRest(allowTarget: true), target) }, distribution);
    }

    private static Uri Address(string? target, TargetKind kind)
    {
        if (target is null) throw new UsageException("say what to load: a URL such as http://127.0.0.1:8002/aggregate, or host:port with --call");
        if (kind == TargetKind.Rest)
        {
            return Uri.TryCreate(target, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp
                ? url
                : throw new UsageException($"a REST target must be an http:// URL such as http://127.0.0.1:8002/aggregate, got '{target}' (for gRPC add --call)");
        }
        var hostPort = target.Contains("://") ? target : "http://" + target;
        return Uri.TryCreate(hostPort, UriKind.Absolute, out var address) && address.Scheme == Uri.UriSchemeHttp && !address.IsDefaultPort
            ? new Uri(address.GetLeftPart(UriPartial.Authority))
            : throw new UsageException($"a gRPC target must be host:port such as localhost:50053, got '{target}'");
    }

    /// <summary>The options of one command line, taken one by one; whatever is left over is an error.</summary>
    private sealed class Options(List<string> args)
    {
        public string? Text(string name)
        {
            var i = args.IndexOf(name);
            if (i < 0) return null;
            if (i + 1 >= args.Count || (args[i + 1].StartsWith('-') && args[i + 1].Length > 1 && !char.IsDigit(args[i + 1][1])))
            {
                throw new UsageException($"{name} needs a value");
            }
            var value = args[i + 1];
            args.RemoveRange(i, 2);
            return value;
        }

        public bool Flag(string name) => args.Remove(name);

        public int? Positive(string name) => Text(name) is { } v
            ? int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new UsageException($"{name} must be a positive whole number, got '{v}'")
            : null;

        public long? Long(string name) => Text(name) is { } v
            ? long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new UsageException($"{name} must be a whole number, got '{v}'")
            : null;

        public double? Rate() => Text("--rps") is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0 && double.IsFinite(r)
                ? r
                : throw new UsageException($"--rps must be a positive number of requests per second, got '{v}'")
            : null;

        public double? Number(string name) => Text(name) is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && double.IsFinite(r)
                ? r
                : throw new UsageException($"{name} must be a number of requests per second, got '{v}'")
            : null;

        public double? PositiveNumber(string name) => Text(name) is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0 && double.IsFinite(r)
                ? r
                : throw new UsageException($"{name} must be a positive number of requests per second, got '{v}'")
            : null;

        /// <summary>A rising list of percentages, such as 10,50,100,150.</summary>
        public IReadOnlyList<double>? Percentages(string name)
        {
            if (Text(name) is not { } v) return null;
            var parts = v.Split(',').Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0 && r <= 1000 ? r : (double?)null).ToList();
            return parts.All(p => p is not null) && parts.Zip(parts.Skip(1)).All(pair => pair.First < pair.Second)
                ? parts.Select(p => p!.Value).ToList()
                : throw new UsageException($"{name} must be rising percentages of capacity above 0 and at most 1000, such as 10,50,100,150, got '{v}'");
        }

        public IReadOnlyList<int>? Sizes() => Text("--size") is { } v
            ? BatchSizes.Parse(v) ?? throw new UsageException($"--size must be between 1 and {BatchSpec.MaxSize} (or a comma-separated list), got '{v}'")
            : null;

        public StreamMode? StreamMode() => Text("--stream-mode") switch
        {
            null => null,
            var text when StreamModes.TryParse(text, out var mode) => mode,
            var other => throw new UsageException($"--stream-mode must be {StreamModes.SharedValue} or {StreamModes.PerRequestValue}, got '{other}'"),
        };

        public RestHttpVersion? HttpVersion() => Text("--http") switch
        {
            null => null,
            var text when RestHttpVersions.TryParse(text, out var version) => version,
            var other => throw new UsageException($"--http must be {RestHttpVersions.Http11Value} or {RestHttpVersions.Http2Value}, got '{other}'"),
        };

        public RestEncoding? Encoding() => Text("--encoding") switch
        {
            null => null,
            var text when RestEncodings.TryParse(text, out var encoding) => encoding,
            var other => throw new UsageException($"--encoding must be {RestEncodings.JsonValue} or {RestEncodings.ProtobufValue}, got '{other}'"),
        };

        public TimeSpan? Duration(string name) => Text(name) is { } v
            ? ParseDuration(v) ?? throw new UsageException($"{name} must be a duration such as 10s, 500ms or 2m, got '{v}'")
            : null;

        /// <summary>Checks nothing unknown is left; returns the one positional target, if allowed.</summary>
        public string? RejectRest(bool allowTarget)
        {
            var unknown = args.FirstOrDefault(a => a.StartsWith('-'));
            if (unknown is not null) throw new UsageException($"unknown option '{unknown}' (see --help)");
            if (args.Count > (allowTarget ? 1 : 0)) throw new UsageException($"unexpected '{args[^1]}' (see --help)");
            return args.SingleOrDefault();
        }
    }

    public static TimeSpan? ParseDuration(string text)
    {
        var (number, unit) = text switch
        {
            _ when text.EndsWith("ms") => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
            ? TimeSpan.FromSeconds(value * unit)
            : null;
    }
}
