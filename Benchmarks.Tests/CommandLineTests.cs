using LoadGenerator;
using LoadGenerator.Cli;
using ServiceDefaults;

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
        // Three ceilings (REST, gRPC unary, gRPC bidi echo), then four chain rows per size.
        Assert.Equal(3 + 3 * 4, LoadGenerator.Runs.ChainComparison.Plan(compare.Settings, compare.Chains).Count());
        // Load REST alone runs the REST row at each size, not the REST ceiling.
        Assert.Equal(["REST, 10 records", "REST, 1,000 records", "REST, 10,000 records"],
            LoadGenerator.Runs.ChainComparison.Only(Scenario.Rest, compare.Settings, compare.Chains).Select(p => p.Name));
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
    [InlineData("-z forever http://h:1/aggregate", "-z must be a duration such as 10s, 500ms or 2m, got 'forever'")]
    [InlineData("--rps 0 http://h:1/aggregate", "--rps must be a positive number of requests per second, got '0'")]
    [InlineData("--size 0 http://h:1/aggregate", "--size must be between 1 and 100000 (or a comma-separated list), got '0'")]
    [InlineData("--call ProducerService.Generate localhost:50051", "--call must be one of AggregatorService.Aggregate, AggregatorService.AggregateStream, got 'ProducerService.Generate'")]
    [InlineData("--call AggregatorService.Aggregate localhost", "a gRPC target must be host:port such as localhost:50053, got 'localhost'")]
    [InlineData("ftp://h/aggregate", "a REST target must be an http:// URL such as http://127.0.0.1:8002/aggregate, got 'ftp://h/aggregate' (for gRPC add --call)")]
    [InlineData("-n 5", "say what to load: a URL such as http://127.0.0.1:8002/aggregate, or host:port with --call")]
    [InlineData("--frobnicate http://h:1/aggregate", "unknown option '--frobnicate' (see --help)")]
    [InlineData("-c", "-c needs a value")]
    [InlineData("--stream-mode sometimes --call AggregatorService.Aggregate h:1", "--stream-mode must be shared or per-request, got 'sometimes'")]
    [InlineData("compare http://h:1/aggregate", "unexpected 'http://h:1/aggregate' (see --help)")]
    [InlineData("soak --load 3", "--load must be a share of capacity above 0 and at most 2, such as 0.7, got '3'")]
    [InlineData("soak --load most", "--load must be a share of capacity above 0 and at most 2, such as 0.7, got 'most'")]
    public void A_bad_command_line_is_refused_with_a_message_saying_why(string line, string message)
    {
        var e = Assert.Throws<UsageException>(() => CommandLine.Parse(line.Split(' ')));
        Assert.Equal(message, e.Message);
    }
}
