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
/// <c>loadgen compare -z 10s -c 50</c>.
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
          loadgen readme [README.md]                                 the README's results from the reports in the directory it names
          loadgen soak [-z 10m] [--load 0.7]                         each chain at 70% of its capacity for 10 minutes: memory, connections, streams, errors
        Options:
          -n N               requests to measure (closed loop)         -z D   duration to measure, e.g. 10s, 500ms, 1m
          -c N               concurrency: requests in flight (default {RunDefaults.Concurrency})
          -k                 REST keep-alive (ab's -k; without it every request opens a new connection)
          --rps R            open loop: R requests per second on a fixed schedule, latency from intended send time
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
          --host H           compare: host of the AppHost's services (default localhost)
          --out DIR          compare: where results/<timestamp>/ goes (default ./results)
          --repeat N         compare: run it N times and print each row's median and spread
          --load F           soak: share of the measured capacity to hold (default 0.7)
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
            Rate = o.Rate(),
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
        return new LoadCommand(settings with { Address = Address(o.RejectRest(allowTarget: true), target) });
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
