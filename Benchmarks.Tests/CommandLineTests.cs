using System.Text.RegularExpressions;
using LoadGenerator;
using LoadGenerator.Baselines;
using LoadGenerator.Cli;
using LoadGenerator.Reports;
using LoadGenerator.Runs;
using ServiceDefaults;
using ServiceDefaults.Rest;

namespace Benchmarks.Tests;

/// <summary>The load generator's command line reads like ab and ghz, and says clearly what is wrong with a bad one.</summary>
public class CommandLineTests
{
    [Fact]
    public void The_originals_ab_line_is_a_closed_loop_rest_run_without_keep_alive()
    {
        var load = Assert.IsType<LoadCommand>(CommandLine.Parse(["-n", "1000", "-c", "50", "http://127.0.0.1:8002/aggregate"]));

        Assert.Equal(TargetKind.Rest, load.Settings.Target);
        Assert.Equal(1000, load.Settings.Requests);
        Assert.Equal(50, load.Settings.Concurrency);
        Assert.False(load.Settings.KeepAlive);
        Assert.Null(load.Settings.Rate);
        Assert.Equal("http://127.0.0.1:8002/aggregate", load.Settings.Address.ToString());
        Assert.False(load.Distribution);
    }

    [Fact]
    public void Hdr_asks_a_single_run_for_its_whole_latency_distribution()
    {
        var load = Assert.IsType<LoadCommand>(CommandLine.Parse(["-n", "1000", "--hdr", "-k", "http://127.0.0.1:8002/aggregate"]));

        Assert.True(load.Distribution);
        Assert.True(load.Settings.KeepAlive);
    }

    [Fact]
    public void The_originals_ghz_line_is_a_unary_grpc_run_on_one_connection()
    {
        var load = Assert.IsType<LoadCommand>(CommandLine.Parse(
            ["--insecure", "--proto", "services.proto", "--call", "AggregatorService.Aggregate", "-n", "1000", "-c", "50", "localhost:50053"]));

        Assert.Equal(TargetKind.GrpcUnary, load.Settings.Target);
        Assert.Equal(new Uri("http://localhost:50053"), load.Settings.Address);
        Assert.Equal(1, load.Settings.Connections);
        Assert.Equal(1000, load.Settings.Requests);
    }

    [Fact]
    public void Open_loop_duration_and_shape_options_are_read()
    {
        var load = Assert.IsType<LoadCommand>(CommandLine.Parse(
            ["--call", "AggregatorService.AggregateStream", "-z", "1.5m", "--rps", "2500", "--connections", "2", "--streams", "4",
             "--warmup", "500ms", "--size", "1000", "--seed", "-3", "--stream-mode", "per-request", "-t", "3s", "localhost:50053"]));

        var s = load.Settings;
        Assert.Equal(TargetKind.GrpcStream, s.Target);
        Assert.Equal(TimeSpan.FromSeconds(90), s.Duration);
        Assert.Null(s.Requests);
        Assert.Equal(2500, s.Rate);
        Assert.Equal((2, 4), (s.Connections, s.StreamsPerConnection));
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.Warmup);
        Assert.Equal((1000, -3L), (s.Size, s.Seed));
        Assert.Equal(StreamMode.PerRequest, s.StreamMode);
        Assert.Equal(TimeSpan.FromSeconds(3), s.Timeout);
    }

    [Fact]
    public void Compare_takes_a_size_sweep()
    {
        var compare = Assert.IsType<CompareCommand>(CommandLine.Parse(["compare", "-z", "20s", "-c", "64", "--size", "10,1000,10000"]));

        Assert.Equal([10, 1000, 10000], compare.Settings.Sizes);
        Assert.Equal(TimeSpan.FromSeconds(20), compare.Settings.Duration);
        Assert.Equal(64, compare.Settings.Concurrency);
        // Three ceilings (REST, gRPC unary, gRPC bidi echo), then eight chain rows per size: four REST wires, four gRPC.
        Assert.Equal(3 + 3 * 9, LoadGenerator.Runs.ChainComparison.Plan(compare.Settings, compare.Chains).Count());
        // Load REST alone runs the REST row (JSON over HTTP/1.1) at each size, not the REST ceiling nor the other wires.
        Assert.Equal(["REST, JSON over HTTP/1.1, 10 records", "REST, JSON over HTTP/1.1, 1,000 records", "REST, JSON over HTTP/1.1, 10,000 records"],
            LoadGenerator.Runs.ChainComparison.Only(Scenario.Rest, compare.Settings, compare.Chains).Select(p => p.Name));
    }

    [Fact]
    public void Compare_runs_each_rest_wire_and_http2_on_the_h2c_port_over_one_connection()
    {
        var compare = Assert.IsType<CompareCommand>(CommandLine.Parse(["compare", "-c", "32"]));

        var rows = LoadGenerator.Runs.ChainComparison.Plan(compare.Settings, compare.Chains).ToList();

        Assert.Equal(["REST ceiling: one no-op hop", "gRPC ceiling: one no-op unary hop", "gRPC streaming ceiling: one no-op bidi echo",
            "REST, JSON over HTTP/1.1", "REST, JSON over HTTP/2", "REST, protobuf over HTTP/1.1", "REST, protobuf over HTTP/2",
            "gRPC unary, stream per request", "gRPC unary, shared streams", "gRPC unary, batched shared streams", "gRPC streaming edge, shared streams",
            "gRPC streaming edge, batched shared streams"], rows.Select(r => r.Name));
        Assert.Equal([Scenario.Rest, Scenario.RestJsonH2, Scenario.RestProtobuf, Scenario.RestProtobufH2], rows.Where(r => r.Scenario.Target == TargetKind.Rest).Select(r => r.Scenario));
        foreach (var row in rows.Where(r => r.Scenario.Target == TargetKind.Rest))
        {
            var h2 = row.Settings.HttpVersion == RestHttpVersion.Http2;
            Assert.Equal(h2 ? "http://localhost:8102/aggregate" : "http://localhost:8002/aggregate", row.Settings.Address.ToString());
            Assert.Equal(h2 ? 1 : 32, row.Settings.Connections);
        }
        Assert.Equal(RestHttpVersion.Http11, rows.Single(r => r.Scenario == Scenario.RestProtobuf).Settings.HttpVersion);
        Assert.Equal(RestEncoding.Protobuf, rows.Single(r => r.Scenario == Scenario.RestProtobufH2).Settings.Encoding);
    }

    [Fact]
    public void A_rest_run_without_a_wire_is_json_over_http_1_1_as_reports_from_before_read()
    {
        var old = new LoadSettings { Target = TargetKind.Rest, Address = new Uri("http://h:1/aggregate") };

        Assert.Equal(Scenario.Rest, Scenario.Of(old));
        Assert.Equal(Scenario.Rest, Scenario.Of(old with { HttpVersion = RestHttpVersion.Http11, Encoding = RestEncoding.Json }));
        Assert.NotEqual(Scenario.Rest, Scenario.Of(old with { Encoding = RestEncoding.Protobuf }));
        Assert.Equal(Scenario.RestCeiling, Scenario.Of(old with { Target = TargetKind.RestNoop }));
    }

    [Fact]
    public void A_rest_run_takes_its_http_version_and_encoding()
    {
        var h2 = Assert.IsType<LoadCommand>(CommandLine.Parse(["--http", "2", "--encoding", "protobuf", "-c", "20", "http://127.0.0.1:8102/aggregate"])).Settings;
        var plain = Assert.IsType<LoadCommand>(CommandLine.Parse(["-c", "20", "http://127.0.0.1:8002/aggregate"])).Settings;

        Assert.Equal((RestHttpVersion.Http2, RestEncoding.Protobuf), (h2.HttpVersion, h2.Encoding));
        // HTTP/2 is one connection, kept: there is no new connection per request to ask for.
        Assert.Equal((1, true), (h2.Connections, h2.KeepAlive));
        Assert.Equal((null, null, 20), (plain.HttpVersion, plain.Encoding, plain.Connections));
        Assert.Equal(Scenario.RestProtobufH2, Scenario.Of(h2));
        Assert.Equal(Scenario.Rest, Scenario.Of(plain));
        Assert.Contains("--http", CommandLine.Help);
        Assert.Contains("--encoding", CommandLine.Help);
    }

    [Fact]
    public void Benchmark_is_compare_at_standard_settings_three_times()
    {
        var benchmark = Assert.IsType<CompareCommand>(CommandLine.Parse(["benchmark"]));

        Assert.Equal(3, benchmark.Repeat);
        Assert.Equal(TimeSpan.FromSeconds(20), benchmark.Settings.Duration);
        Assert.Equal(TimeSpan.FromSeconds(3), benchmark.Settings.Warmup);
        Assert.Equal(1, Assert.IsType<CompareCommand>(CommandLine.Parse(["compare"])).Repeat);
    }

    [Fact]
    public void Soak_holds_each_chain_at_seventy_percent_for_ten_minutes_unless_told_otherwise()
    {
        var soak = Assert.IsType<SoakCommand>(CommandLine.Parse(["soak"]));
        var shorter = Assert.IsType<SoakCommand>(CommandLine.Parse(["soak", "-z", "90s", "--load", "0.5", "-c", "16"]));

        Assert.Equal((TimeSpan.FromMinutes(10), 0.7, 50), (soak.Settings.Duration, soak.Settings.Load, soak.Settings.Concurrency));
        Assert.Equal((TimeSpan.FromSeconds(90), 0.5, 16), (shorter.Settings.Duration, shorter.Settings.Load, shorter.Settings.Concurrency));
    }

    [Fact]
    public void Sweep_steps_ten_to_a_hundred_and_fifty_percent_of_capacity_unless_told_otherwise()
    {
        var sweep = Assert.IsType<SweepCommand>(CommandLine.Parse(["sweep"]));

        Assert.Equal([10.0, 25, 50, 70, 85, 100, 115, 130, 150], sweep.Settings.Steps);
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5), 3.0), (sweep.Settings.StepDuration, sweep.Settings.CapacityWindow, sweep.Settings.KneeFactor));
        Assert.Equal((50, Protos.BatchSpec.DefaultSize), (sweep.Settings.Concurrency, sweep.Settings.Size));
        Assert.Null(sweep.Only);
        Assert.Equal("results", sweep.ResultsDirectory);
    }

    [Fact]
    public void Chains_on_other_hosts_are_read_from_a_file_for_every_command_that_runs_them()
    {
        var file = Path.Combine(Path.GetTempPath(), $"chains-{Guid.NewGuid():N}.json");
        // A service run as two replicas lists both.
        var stats = string.Join(", ", ChainAddresses.Local().Stats.Keys.Select((service, i) => service == "processor-rest"
            ? $"\"{service}\": [\"http://10.20.0.{i + 2}:9000\", \"http://10.20.0.{i + 20}:9000\"]"
            : $"\"{service}\": \"http://10.20.0.{i + 2}:9000\""));
        File.WriteAllText(file, $$"""
            {"rest": "http://10.20.0.2:9000/aggregate", "restH2c": "http://10.20.0.2:9100/aggregate", "grpc": "http://10.20.0.5:50053", "stats": { {{stats}} } }
            """);
        try
        {
            var compare = Assert.IsType<CompareCommand>(CommandLine.Parse(["compare", "--chains", file]));
            Assert.Equal(new Uri("http://10.20.0.5:50053"), compare.Chains.Grpc);
            Assert.Equal([new Uri("http://10.20.0.3:9000"), new Uri("http://10.20.0.21:9000")], compare.Chains.Stats["processor-rest"]);
            Assert.Equal([new Uri("http://10.20.0.4:9000")], compare.Chains.Stats["producer-rest"]);
            // Every row goes to the edges the file names, HTTP/2 REST to its h2c address.
            Assert.All(ChainComparison.Plan(compare.Settings, compare.Chains), p => Assert.StartsWith("http://10.20.0.", p.Settings.Address.ToString()));
            Assert.Contains(ChainComparison.Plan(compare.Settings, compare.Chains), p => p.Settings.Address == new Uri("http://10.20.0.2:9100/aggregate"));
            Assert.Equal(compare.Chains.Stats, Assert.IsType<SoakCommand>(CommandLine.Parse(["soak", "--chains", file])).Chains.Stats);
            Assert.Equal(compare.Chains.Rest, Assert.IsType<SweepCommand>(CommandLine.Parse(["sweep", "--chains", file])).Chains.Rest);
            Assert.Equal(compare.Chains.RestH2c, Assert.IsType<TelemetrySweepCommand>(CommandLine.Parse(["telemetry", "--chains", file])).Chains.RestH2c);
            Assert.Equal("--host and --chains both say where the chains are: give one",
                Assert.Throws<UsageException>(() => CommandLine.Parse(["benchmark", "--chains", file, "--host", "10.0.0.7"])).Message);

            File.WriteAllText(file, """{"rest": "http://10.20.0.2:9000/aggregate", "grpc": "10.20.0.5:50053", "stats": {"producer-rest": "http://10.20.0.4:9000"}}""");
            var refused = Assert.Throws<UsageException>(() => CommandLine.Parse(["compare", "--chains", file])).Message;
            Assert.StartsWith($"--chains {file}: restH2c must be an http:// address, got ''; grpc must be an http:// address, got '10.20.0.5:50053'; stats must name aggregator-rest", refused);
            Assert.DoesNotContain("stats must name producer-rest", refused);
            File.WriteAllText(file, """{"rest": "http://h:1/aggregate", "restH2c": "http://h:2/aggregate", "grpc": "http://h:3", "stats": {"producer-rest": []}}""");
            Assert.Contains("stats must name producer-rest", Assert.Throws<UsageException>(() => CommandLine.Parse(["compare", "--chains", file])).Message);
            File.WriteAllText(file, """{"rest": "http://h:1/aggregate", "stats": {"producer-rest": ["http://h:4", 7]}}""");
            Assert.Contains("an address must be a string, got Number", Assert.Throws<UsageException>(() => CommandLine.Parse(["compare", "--chains", file])).Message);
            File.WriteAllText(file, "{ not json");
            Assert.StartsWith($"--chains {file}: ", Assert.Throws<UsageException>(() => CommandLine.Parse(["compare", "--chains", file])).Message);
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Contains("Could not find file", Assert.Throws<UsageException>(() => CommandLine.Parse(["compare", "--chains", file])).Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Sweep_options_are_read_and_its_rows_are_the_comparisons_at_one_size()
    {
        var sweep = Assert.IsType<SweepCommand>(CommandLine.Parse(
            ["sweep", "--size", "1000", "-c", "16", "-z", "2s", "--warmup", "1s", "--steps", "20,60.5,120", "--step-duration", "1500ms",
             "--knee-factor", "2.5", "--only", "grpc-unary-shared", "--host", "10.0.0.7", "--out", "elsewhere"]));

        var s = sweep.Settings;
        Assert.Equal((1000, 16), (s.Size, s.Concurrency));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1500)), (s.CapacityWindow, s.Warmup, s.StepDuration));
        Assert.Equal([20, 60.5, 120], s.Steps);
        Assert.Equal(2.5, s.KneeFactor);
        Assert.Equal(Scenario.GrpcShared, sweep.Only);
        Assert.Equal(("10.0.0.7", "elsewhere"), (sweep.Chains.Grpc.Host, sweep.ResultsDirectory));
        var plan = s.Plan(sweep.Chains).ToList();
        Assert.Equal(ChainComparison.Plan(new CompareSettings { Sizes = [1000] }, sweep.Chains).Select(p => p.Scenario), plan.Select(p => p.Scenario));
        Assert.All(plan, p => Assert.Equal((TimeSpan.FromSeconds(2), 16, (double?)null), (p.Settings.Duration!.Value, p.Settings.Concurrency, p.Settings.Rate)));
    }

    [Fact]
    public void Telemetry_runs_the_compare_rows_named_each_with_its_ceiling_under_the_modes_asked()
    {
        var telemetry = Assert.IsType<TelemetrySweepCommand>(CommandLine.Parse(
            ["telemetry", "-z", "4s", "-c", "16", "--modes", "off,full", "--only", "rest,grpc-unary-shared", "--out", "elsewhere"]));

        Assert.Equal([ServiceDefaults.TelemetryMode.Off, ServiceDefaults.TelemetryMode.Full], telemetry.Modes);
        Assert.Equal((TimeSpan.FromSeconds(4), 16), (telemetry.Settings.Duration, telemetry.Settings.Concurrency));
        Assert.Equal([Scenario.RestCeiling, Scenario.GrpcCeiling, Scenario.Rest, Scenario.GrpcShared],
            ChainComparison.WithCeilings(telemetry.Only!, telemetry.Settings, telemetry.Chains).Select(p => p.Scenario));
        Assert.Equal("elsewhere", telemetry.ResultsDirectory);
        // Without options: every mode, least recorded first, and every row.
        var all = Assert.IsType<TelemetrySweepCommand>(CommandLine.Parse(["telemetry"]));
        Assert.Equal(["off", "metrics", "sampled", "full"], all.Modes.Select(ServiceDefaults.TelemetryModes.Name));
        Assert.Null(all.Only);
    }

    [Theory]
    [InlineData("off,loud")]
    [InlineData("full,full")]
    [InlineData("")]
    public void Telemetry_modes_must_be_known_and_each_once(string modes) =>
        Assert.Contains("--modes must be a comma list of off, metrics, sampled, full, each once",
            Assert.Throws<UsageException>(() => CommandLine.Parse(["telemetry", "--modes", modes])).Message);

    [Fact]
    public void Compare_only_runs_the_rows_named_with_their_ceilings_and_refuses_a_ceiling_by_name()
    {
        var compare = Assert.IsType<CompareCommand>(CommandLine.Parse(["compare", "--only", "grpc-unary-shared"]));
        Assert.Equal([Scenario.GrpcCeiling, Scenario.GrpcShared], ChainComparison.WithCeilings(compare.Only!, compare.Settings, compare.Chains).Select(p => p.Scenario));
        Assert.Null(Assert.IsType<CompareCommand>(CommandLine.Parse(["compare"])).Only);
        Assert.StartsWith("--only must name a row of the comparison: ", Assert.Throws<UsageException>(() => CommandLine.Parse(["compare", "--only", "rest-noop"])).Message);
    }

    [Fact]
    public void Sweep_only_takes_the_id_of_any_row_of_the_plan_and_names_them_all_when_it_does_not_know_one()
    {
        var scenarios = new SweepSettings().Plan(ChainAddresses.Local()).Select(p => p.Scenario).Distinct().ToList();
        foreach (var scenario in scenarios)
        {
            Assert.Equal(scenario, Assert.IsType<SweepCommand>(CommandLine.Parse(["sweep", "--only", ScenarioIds.Of(scenario)])).Only);
        }
        Assert.Equal(scenarios.Count, scenarios.Select(ScenarioIds.Of).Distinct().Count());
        Assert.Equal(["rest-noop", "rest", "rest-json-h2", "rest-protobuf", "rest-protobuf-h2", "grpc-unary-shared", "grpc-unary-per-request", "grpc-unary-batched"],
            new[] { Scenario.RestCeiling, Scenario.Rest, Scenario.RestJsonH2, Scenario.RestProtobuf, Scenario.RestProtobufH2, Scenario.GrpcShared, Scenario.GrpcPerRequest, Scenario.GrpcBatched }.Select(ScenarioIds.Of));

        var e = Assert.Throws<UsageException>(() => CommandLine.Parse(["sweep", "--only", "soap"]));
        Assert.StartsWith("--only must name a row of the comparison: ", e.Message);
        Assert.EndsWith("; got 'soap'", e.Message);
        Assert.All(scenarios, s => Assert.Contains(ScenarioIds.Of(s), e.Message));
    }

    [Fact]
    public void Ghz_step_and_line_schedules_are_read_as_a_changing_open_loop_rate()
    {
        var step = Assert.IsType<LoadCommand>(CommandLine.Parse(
            ["--call", "AggregatorService.Aggregate", "-c", "10", "-n", "10000", "--load-schedule", "step", "--load-start", "50", "--load-end", "150",
             "--load-step", "10", "--load-step-duration", "5s", "localhost:50053"]));
        var down = Assert.IsType<LoadCommand>(CommandLine.Parse(
            ["--load-schedule", "step", "--load-start", "200", "--load-step", "-10", "--load-step-duration", "5s", "--load-max-duration", "40s", "-k", "http://h:1/aggregate"]));
        var line = Assert.IsType<LoadCommand>(CommandLine.Parse(
            ["--load-schedule", "line", "--load-start", "200", "--load-step", "-2", "--load-end", "100", "-z", "1m", "http://h:1/aggregate"]));
        var constant = Assert.IsType<LoadCommand>(CommandLine.Parse(["--load-schedule", "const", "--rps", "300", "http://h:1/aggregate"]));

        Assert.Equal(new LoadSchedule(50, 10, TimeSpan.FromSeconds(5), 150), step.Settings.Schedule);
        Assert.Equal((10000, (double?)null), (step.Settings.Requests, step.Settings.Rate));
        Assert.Equal(new LoadSchedule(200, -10, TimeSpan.FromSeconds(5), null, TimeSpan.FromSeconds(40)), down.Settings.Schedule);
        Assert.Equal(120, down.Settings.Schedule!.LowestRate);
        Assert.Equal(new LoadSchedule(200, -2, TimeSpan.FromSeconds(1), 100), line.Settings.Schedule);
        Assert.Equal(TimeSpan.FromMinutes(1), line.Settings.Duration);
        Assert.Equal((300.0, (LoadSchedule?)null), (constant.Settings.Rate!.Value, constant.Settings.Schedule));
    }

    [Theory]
    [InlineData("10s", 10.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("2m", 120.0)]
    [InlineData("1.5m", 90.0)]
    [InlineData("1m30s", 90.0)]
    [InlineData("1h2m3s", 3723.0)]
    [InlineData("2m500ms", 120.5)]
    [InlineData("3", 3.0)]
    public void Durations_read_as_ghz_writes_them(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text));

    [Theory]
    [InlineData("0s")]
    [InlineData("0")]
    [InlineData("-1s")]
    [InlineData("forever")]
    [InlineData("1x")]
    [InlineData("s")]
    [InlineData("1m30")]
    [InlineData("")]
    public void What_is_not_a_duration_above_zero_is_none(string text) => Assert.Null(Durations.Parse(text));

    [Fact]
    public void A_duration_of_minutes_and_seconds_is_taken_by_every_duration_option()
    {
        var load = Assert.IsType<LoadCommand>(CommandLine.Parse(["-z", "1m30s", "--warmup", "1m5s", "-t", "2s500ms", "http://h:1/aggregate"])).Settings;
        var sweep = Assert.IsType<SweepCommand>(CommandLine.Parse(["sweep", "--step-duration", "1m30s"])).Settings;

        Assert.Equal((TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(65), TimeSpan.FromSeconds(2.5)), (load.Duration!.Value, load.Warmup, load.Timeout));
        Assert.Equal(TimeSpan.FromSeconds(90), sweep.StepDuration);
    }

    [Fact]
    public void An_option_of_one_value_given_twice_is_refused_as_such()
    {
        var e = Assert.Throws<UsageException>(() => CommandLine.Parse(["-c", "5", "-c", "6", "http://h:1/aggregate"]));
        Assert.Contains("'-c'", e.Message);
        Assert.Contains("single argument but 2", e.Message);
        Assert.Contains("'-z'", Assert.Throws<UsageException>(() => CommandLine.Parse(["compare", "-z", "10s", "-z", "1m"])).Message);
    }

    [Theory]
    [InlineData("--warmpu 1s http://h:1/aggregate", "unknown option '--warmpu' (did you mean --warmup?)")]
    [InlineData("compare --repaet 3", "unknown option '--repaet' (did you mean --repeat?)")]
    [InlineData("sweep --knee-facter 2", "unknown option '--knee-facter' (did you mean --knee-factor?)")]
    public void A_mistyped_option_is_named_with_the_option_it_probably_meant(string line, string message) =>
        Assert.Equal(message, Assert.Throws<UsageException>(() => CommandLine.Parse(line.Split(' '))).Message);

    [Fact]
    public void A_single_run_takes_ghzs_output_format_file_name_and_tags()
    {
        var load = Assert.IsType<LoadCommand>(CommandLine.Parse(
            ["-O", "json", "-o", "run.json", "--name", "nightly", "--tags", "env=ci", "--tags", "{\"commit\":\"abc\",\"env\":\"lab\"}", "http://h:1/aggregate"]));
        var plain = Assert.IsType<LoadCommand>(CommandLine.Parse(["http://h:1/aggregate"]));

        Assert.Equal((OutputFormat.Json, "run.json"), (load.Output, load.OutputFile));
        Assert.Equal("nightly", load.Labels.Name);
        // Tags given again override those before them, as a later flag does.
        Assert.Equal(new Dictionary<string, string> { ["env"] = "lab", ["commit"] = "abc" }, load.Labels.Tags);
        Assert.Equal((OutputFormat.Summary, (string?)null, RunLabels.None, (BaselineCheck?)null), (plain.Output, plain.OutputFile, plain.Labels, plain.Baseline));
        foreach (var format in new[] { "summary", "csv", "html" })
        {
            Assert.Equal(format, Assert.IsType<LoadCommand>(CommandLine.Parse(["-O", format, "http://h:1/aggregate"])).Output.ToString().ToLowerInvariant());
        }
    }

    [Fact]
    public void Compare_sweep_and_soak_take_a_name_and_tags_and_compare_a_baseline_with_thresholds()
    {
        var compare = Assert.IsType<CompareCommand>(CommandLine.Parse(
            ["compare", "--name", "pr-14", "--tags", "env=ci", "--baseline", "before/report.json", "--fail-if", "p99>+10%", "--fail-if", "rps<-5%", "--fail-if", "cpu>+2.5%"]));
        var sweep = Assert.IsType<SweepCommand>(CommandLine.Parse(["sweep", "--name", "knees", "--tags", "host=lab"]));
        var soak = Assert.IsType<SoakCommand>(CommandLine.Parse(["soak", "--name", "overnight"]));
        var single = Assert.IsType<LoadCommand>(CommandLine.Parse(["--baseline", "run.json", "--fail-if", "p50>+20%", "http://h:1/aggregate"]));

        Assert.Equal("pr-14", compare.Labels.Name);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "ci" }, compare.Labels.Tags);
        Assert.Equal("before/report.json", compare.Baseline!.Path);
        Assert.Equal([new Threshold(BaselineMetric.P99, true, 10), new Threshold(BaselineMetric.Rps, false, -5), new Threshold(BaselineMetric.Cpu, true, 2.5)],
            compare.Baseline.FailIf);
        Assert.Equal(("knees", "lab"), (sweep.Labels.Name, sweep.Labels.Tags!["host"]));
        Assert.Equal(new RunLabels("overnight", null), soak.Labels);
        Assert.Equal("run.json", single.Baseline!.Path);
        Assert.Equal([new Threshold(BaselineMetric.P50, true, 20)], single.Baseline.FailIf);
        // A baseline alone shows the deltas and fails nothing.
        Assert.Empty(Assert.IsType<CompareCommand>(CommandLine.Parse(["compare", "--baseline", "r.json"])).Baseline!.FailIf);
    }

    [Fact]
    public void Readme_takes_the_readmes_path_or_finds_readme_md_and_serve_takes_nothing()
    {
        Assert.Equal("README.md", Assert.IsType<ReadmeCommand>(CommandLine.Parse(["readme"])).Readme);
        Assert.Equal("docs/OTHER.md", Assert.IsType<ReadmeCommand>(CommandLine.Parse(["readme", "docs/OTHER.md"])).Readme);
        Assert.IsType<ServeCommand>(CommandLine.Parse(["serve"]));
    }

    [Fact]
    public void The_help_is_generated_for_every_option_and_for_each_command_its_own()
    {
        var help = CommandLine.Help;
        var compare = Assert.IsType<HelpCommand>(CommandLine.Parse(["compare", "--help"])).Text;

        foreach (var flag in new[] { "-n", "-z", "-c", "-k", "--rps", "--load-schedule", "--load-start", "--load-step", "--load-step-duration", "--load-end",
            "--load-max-duration", "--warmup", "--size", "--seed", "--connections", "--streams", "--stream-mode", "--http", "--encoding", "--timeout", "--hdr",
            "-O", "-o", "--name", "--tags", "--baseline", "--fail-if", "--call", "--insecure", "--proto", "compare", "benchmark", "soak", "sweep", "readme", "serve" })
        {
            Assert.Matches($@"(^|\s){Regex.Escape(flag)}[\s,]", help);
        }
        Assert.Contains("1m30s", help);
        Assert.Contains("--repeat", compare);
        Assert.Contains("--fail-if", compare);
        Assert.DoesNotContain("--http", compare);
        Assert.Equal(help, Assert.IsType<HelpCommand>(CommandLine.Parse([])).Text);
    }

    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, "2 (1–3)")]
    [InlineData(new[] { 10.0, 40.0, 20.0, 30.0 }, "25 (10–40)")]
    [InlineData(new[] { 7.0 }, "7 (7–7)")]
    public void Repeats_are_summed_up_as_median_and_spread(double[] values, string expected) =>
        Assert.Equal(expected, LoadGenerator.Reports.RepeatSummary.Spread(values, "N0"));

    [Theory]
    [InlineData("-n abc http://h:1/aggregate", "-n must be a positive whole number, got 'abc'")]
    [InlineData("-n 0 http://h:1/aggregate", "-n must be a positive whole number, got '0'")]
    [InlineData("-c -5 http://h:1/aggregate", "-c must be a positive whole number, got '-5'")]
    [InlineData("-n 10 -z 5s http://h:1/aggregate", "give -n (requests) or -z (duration), not both")]
    [InlineData("-z forever http://h:1/aggregate", "-z must be a duration such as 10s, 500ms, 2m or 1m30s, got 'forever'")]
    [InlineData("--rps 0 http://h:1/aggregate", "--rps must be a positive number of requests per second, got '0'")]
    [InlineData("--size 0 http://h:1/aggregate", "--size must be between 1 and 100000 (or a comma-separated list), got '0'")]
    [InlineData("--call ProducerService.Generate localhost:50051", "--call must be one of AggregatorService.Aggregate, AggregatorService.AggregateStream, got 'ProducerService.Generate'")]
    [InlineData("--call AggregatorService.Aggregate localhost", "a gRPC target must be host:port such as localhost:50053, got 'localhost'")]
    [InlineData("ftp://h/aggregate", "a REST target must be an http:// URL such as http://127.0.0.1:8002/aggregate, got 'ftp://h/aggregate' (for gRPC add --call)")]
    [InlineData("-n 5", "say what to load: a URL such as http://127.0.0.1:8002/aggregate, or host:port with --call")]
    [InlineData("--frobnicate http://h:1/aggregate", "unknown option '--frobnicate' (see --help)")]
    [InlineData("-c", "Required argument missing for option: '-c'.")]
    [InlineData("--stream-mode sometimes --call AggregatorService.Aggregate h:1", "--stream-mode must be 'shared', 'per-request' or 'batched', got 'sometimes'")]
    [InlineData("--http 3 http://h:1/aggregate", "--http must be 1.1 or 2, got '3'")]
    [InlineData("--http h2c http://h:1/aggregate", "--http must be 1.1 or 2, got 'h2c'")]
    [InlineData("--encoding xml http://h:1/aggregate", "--encoding must be json or protobuf, got 'xml'")]
    [InlineData("--encoding protobuf --call AggregatorService.Aggregate h:1", "--http and --encoding are for REST runs; gRPC is always HTTP/2 and protobuf")]
    [InlineData("--http 2 --connections 4 http://h:1/aggregate", "--http 2 runs on one connection; --connections is for HTTP/1.1 and gRPC")]
    [InlineData("compare --http 2", "--http is for a single run, not compare (see compare --help)")]
    [InlineData("compare http://h:1/aggregate", "unexpected 'http://h:1/aggregate' (see --help)")]
    [InlineData("soak --load 3", "--load must be a share of capacity above 0 and at most 2, such as 0.7, got '3'")]
    [InlineData("soak --load most", "--load must be a share of capacity above 0 and at most 2, such as 0.7, got 'most'")]
    [InlineData("sweep --steps 50,10", "--steps must be rising percentages of capacity above 0 and at most 1000, such as 10,50,100,150, got '50,10'")]
    [InlineData("sweep --steps 0,50", "--steps must be rising percentages of capacity above 0 and at most 1000, such as 10,50,100,150, got '0,50'")]
    [InlineData("sweep --steps 10,,50", "--steps must be rising percentages of capacity above 0 and at most 1000, such as 10,50,100,150, got '10,,50'")]
    [InlineData("sweep --knee-factor 1", "--knee-factor must be a number above 1, such as 3, got '1'")]
    [InlineData("sweep --step-duration soon", "--step-duration must be a duration such as 10s, 500ms, 2m or 1m30s, got 'soon'")]
    [InlineData("sweep --size 10,1000", "--size takes one value here; a size sweep is a compare option")]
    [InlineData("sweep --rps 100", "--rps is for a single run, compare, benchmark and telemetry, not sweep (see sweep --help)")]
    [InlineData("--load-schedule ramp http://h:1/aggregate", "--load-schedule must be const, step or line, got 'ramp'")]
    [InlineData("--load-start 50 http://h:1/aggregate", "--load-start shapes a step or line schedule: add --load-schedule step or line (a const schedule's rate is --rps)")]
    [InlineData("--load-schedule const --load-step 5 --rps 10 http://h:1/aggregate", "--load-step shapes a step or line schedule: add --load-schedule step or line (a const schedule's rate is --rps)")]
    [InlineData("--load-schedule step --rps 100 --load-start 50 --load-step 10 --load-step-duration 5s http://h:1/aggregate", "--rps is a const schedule's rate; a step or line schedule starts at --load-start")]
    [InlineData("--load-schedule step --load-step 10 --load-step-duration 5s http://h:1/aggregate", "--load-schedule step needs --load-start, the first rate in requests per second")]
    [InlineData("--load-schedule step --load-start 50 --load-step-duration 5s http://h:1/aggregate", "--load-schedule step needs --load-step, the change per step in requests per second (negative goes down)")]
    [InlineData("--load-schedule step --load-start 50 --load-step 10 http://h:1/aggregate", "--load-schedule step needs --load-step-duration, how long each rate is held, such as 5s")]
    [InlineData("--load-schedule line --load-start 50 --load-step 10 --load-step-duration 5s http://h:1/aggregate", "--load-schedule line changes the rate every second; --load-step-duration is for step")]
    [InlineData("--load-schedule line --load-start 50 --load-step 0 http://h:1/aggregate", "--load-step must not be 0: a rate that never changes is --rps")]
    [InlineData("--load-schedule line --load-start fast --load-step 1 http://h:1/aggregate", "--load-start must be a positive number of requests per second, got 'fast'")]
    [InlineData("--load-schedule line --load-start 50 --load-step some http://h:1/aggregate", "--load-step must be a number of requests per second, got 'some'")]
    [InlineData("--load-schedule step --load-start 100 --load-step 10 --load-end 50 --load-step-duration 1s http://h:1/aggregate", "--load-end 50 is below --load-start 100 but --load-step 10 goes up: the rate would never reach it")]
    [InlineData("--load-schedule line --load-start 100 --load-step -10 --load-end 150 http://h:1/aggregate", "--load-end 150 is above --load-start 100 but --load-step -10 goes down: the rate would never reach it")]
    [InlineData("--load-schedule line --load-start 100 --load-step -10 http://h:1/aggregate", "a falling schedule must stop above 0 requests per second: give --load-end, or --load-max-duration")]
    [InlineData("--load-schedule line --load-start 100 --load-step -10 --load-max-duration 20s http://h:1/aggregate", "--load-step -10 from --load-start 100 reaches 0 requests per second within --load-max-duration; give --load-end or a shorter --load-max-duration")]
    [InlineData("--warmup 0s http://h:1/aggregate", "--warmup must be a duration such as 10s, 500ms, 2m or 1m30s, got '0s'")]
    [InlineData("http://h:1/aggregate http://h:2/aggregate", "unexpected 'http://h:2/aggregate': a run has one target (see --help)")]
    [InlineData("serve --port 1", "unknown option '--port' (see --help)")]
    [InlineData("readme a.md b.md", "unexpected 'b.md' (see --help)")]
    [InlineData("-O xml http://h:1/aggregate", "-O must be summary, json, csv or html, got 'xml'")]
    [InlineData("--tags env http://h:1/aggregate", "--tags must be key=value (repeat it for more) or a JSON object of strings such as {\"env\":\"ci\"}, got 'env'")]
    [InlineData("--tags {\"env\":1} http://h:1/aggregate", "--tags must be key=value (repeat it for more) or a JSON object of strings such as {\"env\":\"ci\"}, got '{\"env\":1}'")]
    [InlineData("--baseline b.json --fail-if p99>>10% http://h:1/aggregate", "--fail-if must be " + Threshold.Form + ", got 'p99>>10%'")]
    [InlineData("--baseline b.json --fail-if latency>+10% http://h:1/aggregate", "--fail-if must be " + Threshold.Form + ", got 'latency>+10%'")]
    [InlineData("compare --baseline b.json --fail-if p99>+10", "--fail-if must be " + Threshold.Form + ", got 'p99>+10'")]
    [InlineData("--fail-if p99>+10% http://h:1/aggregate", "--fail-if needs --baseline, the report a change is measured from")]
    [InlineData("compare --fail-if rps<-5%", "--fail-if needs --baseline, the report a change is measured from")]
    [InlineData("--baseline b.json --fail-if cpu>+5% http://h:1/aggregate", "--fail-if cpu>+5% needs the chain's CPU, which a single run does not measure: compare does")]
    [InlineData("benchmark --baseline r.json", "--baseline sets one run against another; benchmark runs 3: use compare")]
    [InlineData("compare --repeat 2 --baseline r.json", "--baseline sets one run against another; --repeat gives several: use compare")]
    [InlineData("sweep --baseline r.json", "--baseline is for a single run, compare and benchmark, not sweep (see sweep --help)")]
    [InlineData("--repeat 3 http://h:1/aggregate", "--repeat is for compare and benchmark, not a single run (see --help)")]
    public void A_bad_command_line_is_refused_with_a_message_saying_why(string line, string message)
    {
        var e = Assert.Throws<UsageException>(() => CommandLine.Parse(line.Split(' ')));
        Assert.Equal(message, e.Message);
    }
}
