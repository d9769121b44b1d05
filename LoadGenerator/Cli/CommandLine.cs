using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;
using LoadGenerator.Reports;
using LoadGenerator.Runs;
using Protos;
using Protos.Control;
using ServiceDefaults;
using ServiceDefaults.Rest;
using static LoadGenerator.Cli.CliOptions;

namespace LoadGenerator.Cli;

/// <summary>
/// Reads ab- and ghz-like command lines with System.CommandLine, which generates the help, spots an option given twice
/// and suggests the option a typo meant: <c>loadgen -n 1000 -c 50 -k http://127.0.0.1:8002/aggregate</c>,
/// <c>loadgen --call AggregatorService.Aggregate -n 1000 -c 50 localhost:50053</c>,
/// <c>loadgen compare -z 10s -c 50</c>, <c>loadgen sweep --only rest</c>. What a value or a combination of options gets
/// wrong is a <see cref="UsageException"/> that says so.
/// </summary>
public static class CommandLine
{
    private static readonly Dictionary<string, TargetKind> Calls = new(StringComparer.Ordinal)
    {
        ["AggregatorService.Aggregate"] = TargetKind.GrpcUnary,
        ["AggregatorService.AggregateStream"] = TargetKind.GrpcStream,
    };

    private static readonly string[] Schedules = ["const", "step", "line"];

    private static readonly Dictionary<string, OutputFormat> Formats = Enum.GetValues<OutputFormat>().ToDictionary(f => f.ToString().ToLowerInvariant());

    public static Command Parse(IReadOnlyList<string> args)
    {
        var root = Root();
        var result = root.Parse(args is [] or ["help"] ? ["--help"] : args);
        if (result.Action is HelpAction) return new HelpCommand(Printed(result));
        if (result.Errors.Count > 0) throw Refusal(result);
        var command = result.CommandResult.Command;
        return command.Name switch
        {
            "compare" => CompareOf(result, standard: false),
            "benchmark" => CompareOf(result, standard: true),
            "soak" => SoakOf(result),
            "sweep" => SweepOf(result),
            "telemetry" => TelemetryOf(result),
            "readme" => new ReadmeCommand(result.GetValue<string>("README")!),
            "serve" => new ServeCommand(),
            _ => LoadOf(result),
        };
    }

    /// <summary>The whole help, as <c>--help</c> prints it.</summary>
    public static string Help => ((HelpCommand)Parse(["--help"])).Text;

    private static RootCommand Root()
    {
        var root = new RootCommand($"""
            One run against one target, like ab or ghz, or one of the lab's measurements below.
              loadgen [options] http://host:port/aggregate                          REST (like ab)
              loadgen --call AggregatorService.Aggregate [options] host:port        gRPC unary (like ghz)
              loadgen --call AggregatorService.AggregateStream [options] host:port  gRPC streaming edge
            Exit codes: {ExitCodes.Ok} done; {ExitCodes.RunFailed} requests failed or counts did not reconcile; {ExitCodes.Usage} a bad command line; {ExitCodes.ThresholdBreached} a --fail-if threshold breached.
            """);
        foreach (var option in LoadOptions()) root.Add(option);
        root.Add(Target());
        // Without an action of its own the root would insist on a subcommand; a single run is the root's.
        root.SetAction(_ => ExitCodes.Ok);
        root.Add(CompareCommand("compare", "REST vs gRPC on the AppHost's ports, row by row; report in results/<timestamp>/", RunDefaults.DurationSeconds, 1));
        root.Add(CompareCommand("benchmark", "compare at standard settings (-z 20s --warmup 3s), 3 times: median and spread", 20, 3));
        root.Add(SoakCommand());
        root.Add(SweepCommand());
        root.Add(TelemetryCommand());
        var readme = new System.CommandLine.Command("readme", "the README's generated sections from the reports they name")
        {
            new Argument<string>("README") { Description = "the README to rewrite", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "README.md" },
        };
        root.Add(readme);
        root.Add(new System.CommandLine.Command("serve", "run as the AppHost's load-generator resource"));
        return root;
    }

    /// <summary>The target of a single run; a token like an option is left to the parser, which then names it and suggests the option meant.</summary>
    private static Argument<string[]> Target() => new("target")
    {
        Arity = ArgumentArity.ZeroOrMore,
        Hidden = true,
        CustomParser = result =>
        {
            var options = result.Tokens.TakeWhile(t => !(t.Value.StartsWith('-') && t.Value.Length > 1)).Count();
            if (options < result.Tokens.Count) result.OnlyTake(options);
            return result.Tokens.Take(options).Select(t => t.Value).ToArray();
        },
    };

    private static IEnumerable<Option> LoadOptions() =>
    [
        Positive("-n", "requests to measure (closed loop; default 1000 when -z is not given)"),
        Duration("-z", $"duration to measure, such as {Durations.Examples}"),
        Positive("-c", $"concurrency: requests in flight (default {RunDefaults.Concurrency})"),
        Flag("-k", "REST keep-alive (ab's -k; without it every request opens a new connection)"),
        Rate("--rps", "open loop: R requests per second on a fixed schedule, latency from intended send time"),
        Parsed<string?>("--load-schedule", "const|step|line", "open loop whose rate changes, as ghz's: const (the --rps rate) | step | line",
            v => Schedules.Contains(v) ? v : null, "must be const, step or line"),
        Rate("--load-start", "step, line: the first rate, requests per second"),
        Number("--load-step", "R", "step, line: the change per step (a line's per second); negative goes down", _ => true, "must be a number of requests per second"),
        Duration("--load-step-duration", "step: how long each rate is held, such as 5s (a line's is 1s)"),
        Rate("--load-end", "step, line: change until this rate, then hold it"),
        Duration("--load-max-duration", "step, line: change for this long, then hold the rate reached"),
        Duration("--warmup", $"load before measuring, not counted (default {RunDefaults.WarmupSeconds}s)"),
        Sizes($"records per batch (default {BatchSpec.DefaultSize})"),
        Whole("--seed", $"seed of the batches (default {BatchSpec.DefaultSeed})"),
        Positive("--connections", "gRPC: HTTP/2 connections (default 1); REST with -k: pool size (default: -c)"),
        Positive("--streams", "streaming edge: bidi streams per connection (default 1)"),
        StreamMode(), HttpVersion(), Encoding(),
        Duration("--timeout", "per-request timeout (default 10s)", "-t"),
        Flag("--hdr", "also print the whole latency distribution (ms) as HdrHistogram's .hgrm text"),
        Parsed<OutputFormat?>("-O", "summary|json|csv|html", "output format: summary (the console's, default) | json (the run's report, what --baseline reads) | " +
            "csv (one line per whole second of the window: second, ok, p50, p90, p99 ms) | html (a self-contained page)",
            v => Formats.TryGetValue(v, out var format) ? format : null, "must be summary, json, csv or html"),
        Text("-o", "FILE", "write the output to this file instead of the console"),
        Name(), Tags(), Baseline("a single run's -O json"), FailIf(),
        Parsed<string?>("--call", "METHOD", "gRPC: the method to load, as ghz names it: AggregatorService.Aggregate | AggregatorService.AggregateStream",
            v => Calls.ContainsKey(v) ? v : null, $"must be one of {string.Join(", ", Calls.Keys)}"),
        Flag("--insecure", "accepted for ghz compatibility (always plaintext h2c)"),
        Text("--proto", "FILE", "accepted for ghz compatibility (the contract is built in)"),
    ];

    /// <summary>How compare's rows are run, and which: the options compare, benchmark and telemetry share.</summary>
    private static IEnumerable<Option> RowOptions(double seconds, double warmupSeconds) =>
    [
        Duration("-z", $"how long each row is measured (default {seconds}s)"),
        Duration("--warmup", $"load before each row, not counted (default {warmupSeconds}s; longer while its rate still rises)"),
        Positive("-c", $"concurrency (default {RunDefaults.Concurrency})"),
        Rate("--rps", "open loop at this rate"),
        Sizes($"records per batch; a comma list sweeps sizes (default {BatchSpec.DefaultSize})"),
        Whole("--seed", $"seed of the batches (default {BatchSpec.DefaultSeed})"),
        Host(), Chains(), Out(),
        Text("--only", "ID[,ID...]", $"just these rows, each with its ceiling: {ChainRowIds}"),
        Name(), Tags(),
    ];

    /// <summary>The settings <see cref="RowOptions"/> give; <paramref name="standard"/>, the benchmark's longer rows and warm-up.</summary>
    private static CompareSettings RowSettingsOf(ParseResult o, bool standard = false) => new()
    {
        Duration = o.GetValue<TimeSpan?>("-z") ?? TimeSpan.FromSeconds(standard ? 20 : RunDefaults.DurationSeconds),
        Warmup = o.GetValue<TimeSpan?>("--warmup") ?? TimeSpan.FromSeconds(standard ? 3 : RunDefaults.WarmupSeconds),
        Concurrency = o.GetValue<int?>("-c") ?? RunDefaults.Concurrency,
        Rate = o.GetValue<double?>("--rps"),
        Sizes = o.GetValue<IReadOnlyList<int>?>("--size") ?? [BatchSpec.DefaultSize],
        Seed = o.GetValue<long?>("--seed") ?? BatchSpec.DefaultSeed,
    };

    private static System.CommandLine.Command CompareCommand(string name, string description, double seconds, int repeats)
    {
        var command = new System.CommandLine.Command(name, description);
        foreach (var option in RowOptions(seconds, repeats > 1 ? 3 : RunDefaults.WarmupSeconds)) command.Add(option);
        command.Add(Positive("--repeat", $"run it N times and print each row's median and spread (default {repeats})"));
        command.Add(Baseline("an earlier compare's report.json, rows matched by scenario and size"));
        command.Add(FailIf());
        return command;
    }

    private static System.CommandLine.Command SoakCommand() => new("soak", "each chain at 70% of its capacity for 10 minutes: memory, connections, streams, errors")
    {
        Duration("-z", "how long each chain is held (default 10m)"),
        Number("--load", "F", "share of the measured capacity to hold (default 0.7)", f => f is > 0 and <= 2, "must be a share of capacity above 0 and at most 2, such as 0.7"),
        Positive("-c", $"concurrency of the capacity measurement (default {RunDefaults.Concurrency})"),
        Sizes($"records per batch (default {BatchSpec.DefaultSize})"),
        Whole("--seed", $"seed of the batches (default {BatchSpec.DefaultSeed})"),
        Host(), Chains(), Out(), Name(), Tags(),
    };

    private static System.CommandLine.Command SweepCommand()
    {
        var defaults = new SweepSettings();
        var rows = string.Join(", ", defaults.Plan(ChainAddresses.Local()).Select(p => ScenarioIds.Of(p.Scenario)).Distinct());
        return new("sweep", "each row's latency at 10% to 150% of its capacity, open loop, and its knee; report in results/<timestamp>-sweep/")
        {
            Duration("-z", $"the closed-loop run that measures each row's capacity (default {defaults.CapacityWindow.TotalSeconds:0}s)"),
            Duration("--warmup", $"load before each row, not counted (default {defaults.Warmup.TotalSeconds:0}s)"),
            Positive("-c", $"concurrency of the capacity run (default {defaults.Concurrency})"),
            Sizes($"records per batch (default {defaults.Size})"),
            Whole("--seed", $"seed of the batches (default {defaults.Seed})"),
            Parsed<IReadOnlyList<double>?>("--steps", "P[,P...]", $"the rates offered, in % of capacity, rising (default {string.Join(",", defaults.Steps)})", Percentages,
                "must be rising percentages of capacity above 0 and at most 1000, such as 10,50,100,150"),
            Duration("--step-duration", $"how long each rate is offered (default {defaults.StepDuration.TotalSeconds:0}s)"),
            Number("--knee-factor", "F", $"the knee's p99 may be F times the lowest step's (default {defaults.KneeFactor})", f => f > 1, "must be a number above 1, such as 3"),
            Text("--only", "ID", $"just this row: {rows}"),
            Host(), Chains(), Out(), Name(), Tags(),
        };
    }

    private static System.CommandLine.Command TelemetryCommand()
    {
        var command = new System.CommandLine.Command("telemetry",
            "the price of telemetry: compare's rows under each telemetry mode, switched on every service; report in results/<timestamp>-telemetry/");
        foreach (var option in RowOptions(RunDefaults.DurationSeconds, RunDefaults.WarmupSeconds)) command.Add(option);
        command.Add(Parsed<IReadOnlyList<TelemetryMode>?>("--modes", "M[,M...]", $"the modes, each once: {TelemetryModes.Choices} (default all)", Modes,
            $"must be a comma list of {TelemetryModes.Choices}, each once"));
        return command;
    }

    /// <summary>The ids of the comparison's chain rows, as <c>--only</c> takes them.</summary>
    private static string ChainRowIds => string.Join(", ", ChainComparison.Plan(new CompareSettings(), ChainAddresses.Local())
        .Where(p => !p.Scenario.IsCeiling).Select(p => ScenarioIds.Of(p.Scenario)).Distinct());

    /// <summary>Where the chains are: <c>--chains</c>' file, or the AppHost's fixed ports on <c>--host</c> (default localhost).</summary>
    private static ChainAddresses ChainsOf(ParseResult o)
    {
        var host = o.GetValue<string?>("--host");
        if (o.GetValue<string?>("--chains") is not { } file) return ChainAddresses.Local(host ?? "localhost");
        if (host is not null) throw new UsageException("--host and --chains both say where the chains are: give one");
        try
        {
            return ChainAddresses.Read(file);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException("--chains " + e.Message);
        }
    }

    /// <summary>The rows <c>--only</c> names, each a row of the comparison; null without the option.</summary>
    private static IReadOnlyList<Scenario>? OnlyRows(ParseResult o, CompareSettings settings, ChainAddresses chains)
    {
        if (o.GetValue<string?>("--only") is not { } ids) return null;
        var rows = ChainComparison.Plan(settings, chains).Where(p => !p.Scenario.IsCeiling).ToList();
        return ids.Split(',').Select(id => OnlyRow(id.Trim(), rows)).Distinct().ToList();
    }

    private static TelemetrySweepCommand TelemetryOf(ParseResult o)
    {
        var settings = RowSettingsOf(o);
        var chains = ChainsOf(o);
        return new TelemetrySweepCommand(settings, chains, o.GetValue<IReadOnlyList<TelemetryMode>?>("--modes") ?? TelemetrySweep.AllModes,
            o.GetValue<string?>("--out") ?? "results", OnlyRows(o, settings, chains)) { Labels = LabelsOf(o) };
    }

    /// <summary>A comma list of telemetry modes, each once; null when it is not one.</summary>
    private static IReadOnlyList<TelemetryMode>? Modes(string text)
    {
        var modes = text.Split(',').Select(TelemetryModes.Parse).ToList();
        return modes.All(m => m is not null) && modes.Distinct().Count() == modes.Count ? modes.Select(m => m!.Value).ToList() : null;
    }

    /// <summary>The parser's own output (the help, or its errors with the options a typo may have meant) as text.</summary>
    private static string Printed(ParseResult result)
    {
        var text = new StringWriter();
        if (result.Action is ParseErrorAction refused) refused.ShowHelp = false;
        result.Invoke(new InvocationConfiguration { Output = text, Error = text });
        return text.ToString();
    }

    /// <summary>
    /// The parser's errors as one message: an unknown option first (a typo throws the rest off), with the options it
    /// may have meant; then what values were refused; then anything left over.
    /// </summary>
    private static UsageException Refusal(ParseResult result)
    {
        var unmatched = result.UnmatchedTokens;
        if (unmatched.FirstOrDefault(t => t.StartsWith('-')) is { } unknown)
        {
            var command = result.CommandResult.Command;
            var root = result.RootCommandResult.Command;
            var takers = root.Subcommands.Prepend(root).Where(c => c.Options.Any(o => o.Name == unknown || o.Aliases.Contains(unknown))).Select(Named).ToList();
            if (takers.Count > 0)
            {
                var those = takers.Count == 1 ? takers[0] : $"{string.Join(", ", takers.SkipLast(1))} and {takers[^1]}";
                return new UsageException($"{unknown} is for {those}, not {Named(command)} (see {(command == root ? "" : command.Name + " ")}--help)");
            }
            var meant = Printed(result).Split('\n').SkipWhile(line => !line.StartsWith($"'{unknown}' was not matched"))
                .Skip(1).TakeWhile(line => line.StartsWith('-')).Select(line => line.Trim()).ToList();
            return new UsageException($"unknown option '{unknown}' " + (meant.Count > 0 ? $"(did you mean {string.Join(" or ", meant)}?)" : "(see --help)"));
        }
        var refused = result.Errors.Select(e => e.Message).Where(m => !unmatched.Any(t => m.Contains($"'{t}'"))).ToList();
        return new UsageException(refused.Count > 0 ? string.Join("\n", refused) : $"unexpected '{unmatched[0]}' (see --help)");
    }

    private static string Named(System.CommandLine.Command command) => command is RootCommand ? "a single run" : command.Name;

    private static RunLabels LabelsOf(ParseResult result) =>
        new(result.GetValue<string?>("--name"), Merged(result.GetValue<IReadOnlyList<Dictionary<string, string>>>("--tags")!));

    private static BaselineCheck? BaselineOf(ParseResult result)
    {
        var thresholds = result.GetValue<IReadOnlyList<Baselines.Threshold>>("--fail-if")!;
        if (result.GetValue<string?>("--baseline") is { } path) return new BaselineCheck(path, thresholds);
        return thresholds.Count > 0 ? throw new UsageException("--fail-if needs --baseline, the report a change is measured from") : null;
    }

    /// <param name="standard">The benchmark: longer rows, a longer warm-up, three repeats, unless the options say otherwise.</param>
    private static CompareCommand CompareOf(ParseResult o, bool standard)
    {
        var settings = RowSettingsOf(o, standard);
        var repeat = o.GetValue<int?>("--repeat") ?? (standard ? 3 : 1);
        var baseline = BaselineOf(o);
        if (baseline is not null && repeat > 1) throw new UsageException($"--baseline sets one run against another; {(standard ? "benchmark runs 3" : "--repeat gives several")}: use compare");
        var chains = ChainsOf(o);
        return new CompareCommand(settings, chains, o.GetValue<string?>("--out") ?? "results", repeat)
        {
            Only = OnlyRows(o, settings, chains),
            Labels = LabelsOf(o),
            Baseline = baseline,
        };
    }

    private static SoakCommand SoakOf(ParseResult o)
    {
        var settings = new SoakSettings
        {
            Duration = o.GetValue<TimeSpan?>("-z") ?? TimeSpan.FromMinutes(10),
            Load = o.GetValue<double?>("--load") ?? 0.7,
            Concurrency = o.GetValue<int?>("-c") ?? RunDefaults.Concurrency,
            Size = OneSize(o) ?? BatchSpec.DefaultSize,
            Seed = o.GetValue<long?>("--seed") ?? BatchSpec.DefaultSeed,
        };
        return new SoakCommand(settings, ChainsOf(o), o.GetValue<string?>("--out") ?? "results")
        {
            Labels = LabelsOf(o),
        };
    }

    private static SweepCommand SweepOf(ParseResult o)
    {
        var defaults = new SweepSettings();
        var settings = new SweepSettings
        {
            CapacityWindow = o.GetValue<TimeSpan?>("-z") ?? defaults.CapacityWindow,
            Warmup = o.GetValue<TimeSpan?>("--warmup") ?? defaults.Warmup,
            Concurrency = o.GetValue<int?>("-c") ?? defaults.Concurrency,
            Size = OneSize(o) ?? defaults.Size,
            Seed = o.GetValue<long?>("--seed") ?? defaults.Seed,
            Steps = o.GetValue<IReadOnlyList<double>?>("--steps") ?? defaults.Steps,
            StepDuration = o.GetValue<TimeSpan?>("--step-duration") ?? defaults.StepDuration,
            KneeFactor = o.GetValue<double?>("--knee-factor") ?? defaults.KneeFactor,
        };
        var chains = ChainsOf(o);
        Scenario? only = o.GetValue<string?>("--only") is { } id ? OnlyRow(id, settings.Plan(chains)) : null;
        return new SweepCommand(settings, chains, o.GetValue<string?>("--out") ?? "results", only) { Labels = LabelsOf(o) };
    }

    private static int? OneSize(ParseResult o) => o.GetValue<IReadOnlyList<int>?>("--size") switch
    {
        { Count: > 1 } => throw new UsageException("--size takes one value here; a size sweep is a compare option"),
        var sizes => sizes?[0],
    };

    /// <summary>A rising list of percentages, such as 10,50,100,150; null when it is not one.</summary>
    private static IReadOnlyList<double>? Percentages(string text)
    {
        var parts = text.Split(',').Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0 && r <= 1000 ? r : (double?)null).ToList();
        return parts.All(p => p is not null) && parts.Zip(parts.Skip(1)).All(pair => pair.First < pair.Second) ? parts.Select(p => p!.Value).ToList() : null;
    }

    /// <summary>The scenario of the plan's rows that the command line names; the names offered are the plan's own.</summary>
    private static Scenario OnlyRow(string id, IEnumerable<PlannedRow> plan)
    {
        var scenarios = plan.Select(p => p.Scenario).Distinct().ToList();
        return scenarios.Where(s => ScenarioIds.Of(s) == id).Select(s => (Scenario?)s).SingleOrDefault()
            ?? throw new UsageException($"--only must name a row of the comparison: {string.Join(", ", scenarios.Select(ScenarioIds.Of))}; got '{id}'");
    }

    /// <summary>ghz's <c>--load-schedule</c> and its <c>--load-*</c> options: null for a constant rate (<c>--rps</c>) or none.</summary>
    private static LoadSchedule? Schedule(ParseResult o, double? rps)
    {
        var kind = o.GetValue<string?>("--load-schedule");
        var (start, step, end) = (o.GetValue<double?>("--load-start"), o.GetValue<double?>("--load-step"), o.GetValue<double?>("--load-end"));
        var (stepDuration, max) = (o.GetValue<TimeSpan?>("--load-step-duration"), o.GetValue<TimeSpan?>("--load-max-duration"));
        var given = new (string Name, object? Value)[]
        {
            ("--load-start", start), ("--load-step", step), ("--load-end", end), ("--load-step-duration", stepDuration), ("--load-max-duration", max),
        }.Where(g => g.Value is not null).Select(g => g.Name).ToList();
        if (kind is null or "const")
        {
            return given.Count > 0 ? throw new UsageException($"{given[0]} shapes a step or line schedule: add --load-schedule step or line (a const schedule's rate is --rps)") : null;
        }
        if (rps is not null) throw new UsageException("--rps is a const schedule's rate; a step or line schedule starts at --load-start");
        if (start is not { } first) throw new UsageException($"--load-schedule {kind} needs --load-start, the first rate in requests per second");
        if (step is not { } change) throw new UsageException($"--load-schedule {kind} needs --load-step, the change per step in requests per second (negative goes down)");
        if (change == 0) throw new UsageException("--load-step must not be 0: a rate that never changes is --rps");
        if (kind == "line" && stepDuration is not null) throw new UsageException("--load-schedule line changes the rate every second; --load-step-duration is for step");
        if (kind == "step" && stepDuration is null) throw new UsageException("--load-schedule step needs --load-step-duration, how long each rate is held, such as 5s");
        if (end is { } last && (change > 0 ? last < first : last > first))
        {
            throw new UsageException($"--load-end {Rps(last)} is {(change > 0 ? "below" : "above")} --load-start {Rps(first)} but --load-step {Rps(change)} goes " +
                $"{(change > 0 ? "up" : "down")}: the rate would never reach it");
        }
        var schedule = new LoadSchedule(first, change, stepDuration ?? TimeSpan.FromSeconds(1), end, max);
        if (schedule.LowestRate <= 0)
        {
            throw new UsageException(max is null
                ? "a falling schedule must stop above 0 requests per second: give --load-end, or --load-max-duration"
                : $"--load-step {Rps(change)} from --load-start {Rps(first)} reaches 0 requests per second within --load-max-duration; give --load-end or a shorter --load-max-duration");
        }
        return schedule;
    }

    private static string Rps(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static LoadCommand LoadOf(ParseResult o)
    {
        var target = o.GetValue<string?>("--call") is { } call ? Calls[call] : TargetKind.Rest;
        var requests = o.GetValue<int?>("-n");
        var duration = o.GetValue<TimeSpan?>("-z");
        if (requests is not null && duration is not null) throw new UsageException("give -n (requests) or -z (duration), not both");
        var concurrency = o.GetValue<int?>("-c") ?? RunDefaults.Concurrency;
        var rate = o.GetValue<double?>("--rps");
        var schedule = Schedule(o, rate);
        var (version, encoding) = (o.GetValue<RestHttpVersion?>("--http"), o.GetValue<RestEncoding?>("--encoding"));
        if (target != TargetKind.Rest && (version is not null || encoding is not null)) throw new UsageException("--http and --encoding are for REST runs; gRPC is always HTTP/2 and protobuf");
        var http2 = version is RestHttpVersion.Http2;
        var connections = o.GetValue<int?>("--connections");
        if (http2 && connections > 1) throw new UsageException("--http 2 runs on one connection; --connections is for HTTP/1.1 and gRPC");
        var baseline = BaselineOf(o);
        if (baseline?.FailIf.FirstOrDefault(t => t.Metric == Baselines.BaselineMetric.Cpu) is { } cpu)
        {
            throw new UsageException($"--fail-if {cpu} needs the chain's CPU, which a single run does not measure: compare does");
        }
        var settings = new LoadSettings
        {
            Target = target,
            Address = Address(o.GetValue<string[]>("target")!, target),
            Requests = requests ?? (duration is null ? 1000 : null),
            Duration = duration,
            Concurrency = concurrency,
            Rate = rate,
            Schedule = schedule,
            Warmup = o.GetValue<TimeSpan?>("--warmup") ?? TimeSpan.FromSeconds(RunDefaults.WarmupSeconds),
            Seed = o.GetValue<long?>("--seed") ?? BatchSpec.DefaultSeed,
            Size = OneSize(o) ?? BatchSpec.DefaultSize,
            // HTTP/2 keeps its one connection: there is no new connection per request to ask for.
            KeepAlive = target != TargetKind.Rest || o.GetValue<bool>("-k") || http2,
            StreamsPerConnection = o.GetValue<int?>("--streams") ?? 1,
            StreamMode = o.GetValue<ServiceDefaults.StreamMode?>("--stream-mode"),
            HttpVersion = version,
            Encoding = encoding,
            Timeout = o.GetValue<TimeSpan?>("--timeout") ?? TimeSpan.FromSeconds(10),
            Connections = connections ?? (target == TargetKind.Rest && !http2 ? concurrency : 1),
        };
        return new LoadCommand(settings, o.GetValue<bool>("--hdr"))
        {
            Output = o.GetValue<OutputFormat?>("-O") ?? OutputFormat.Summary,
            OutputFile = o.GetValue<string?>("-o"),
            Labels = LabelsOf(o),
            Baseline = baseline,
        };
    }

    private static Uri Address(string[] targets, TargetKind kind)
    {
        if (targets.Length > 1) throw new UsageException($"unexpected '{targets[1]}': a run has one target (see --help)");
        if (targets is not [var target]) throw new UsageException("say what to load: a URL such as http://127.0.0.1:8002/aggregate, or host:port with --call");
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
}
