using System.Text.Json;

namespace Benchmarks.Tests;

/// <summary>
/// scripts/multihost.sh for a few seconds a row: both chains across seven network namespaces (a host per service and one
/// for the load generator) on a bridge, every link shaped; the counts reconcile across the hosts, the report states the
/// topology, and nothing is left behind. Needs root (CI runs as root); elsewhere it fails saying so.
/// </summary>
public class MultihostTests
{
    [Fact]
    public async Task The_compare_runs_across_namespaced_hosts_its_counts_reconcile_and_nothing_is_left_behind()
    {
        var (output, json) = await MultihostAsync("multihost", ["--link", "1gbit"], "rest,grpc-unary-shared");

        Assert.Contains("hosts: loadgen 10.77.0.2, producer-rest 10.77.0.11", output);
        var tags = json.RootElement.GetProperty("tags");
        Assert.Equal("1gbit", tags.GetProperty("link").GetString());
        Assert.Contains("aggregator-grpc 10.77.0.23", tags.GetProperty("topology").GetString());
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["REST ceiling: one no-op hop", "gRPC ceiling: one no-op unary hop", "REST, JSON over HTTP/1.1", "gRPC unary, shared streams"],
            rows.Select(r => r.GetProperty("run").GetProperty("name").GetString()));
        foreach (var row in rows)
        {
            Assert.True(row.GetProperty("run").GetProperty("succeeded").GetInt64() > 0, row.ToString());
            // Each service, on its own host, served what the load generator, on another, saw succeed.
            Assert.True(row.GetProperty("reconciliation").GetProperty("matches").GetBoolean(), row.GetProperty("reconciliation").GetProperty("detail").GetString());
        }
        // Every hop crossed the bridge: its bytes were counted by a client on one host and a server on another.
        Assert.All(rows.Skip(2), row => Assert.Equal(3, row.GetProperty("wire").GetArrayLength()));
        Assert.All(rows, row => Assert.Equal(JsonValueKind.Null, row.GetProperty("replicas").ValueKind));
    }

    /// <summary>
    /// Two processors a chain. Through one virtual address that picks a replica per connection (kube-proxy's way), the
    /// HTTP/1.1 pool's connections land on both, and a single HTTP/2 connection (REST over h2c, gRPC's shared streams)
    /// sends everything to one; with every replica given to service discovery, each request picks one in turn; with one
    /// name resolving to both, gRPC's round_robin spreads a gRPC hop's calls (and REST is balanced as by the client).
    /// </summary>
    [Theory]
    [InlineData("service")]
    [InlineData("client")]
    [InlineData("dns")]
    public async Task Two_processors_a_chain_share_the_requests_as_their_callers_balance_them_and_the_counts_add_up(string balance)
    {
        // A stream goes where it opened: the per-request row first connects gRPC to both replicas before the shared streams
        // open (opened while only one is connected, gRPC's round_robin has put all four on it).
        var (output, json) = await MultihostAsync($"multihost-{balance}", ["--replicas", "2", "--balance", balance],
            "rest,rest-protobuf-h2,grpc-unary-per-request,grpc-unary-shared");

        Assert.Contains("processor-rest-2 10.77.0.112", output);
        Assert.Equal(("2", balance, "9"), (Tag(json, "replicas"), Tag(json, "balance"), Tag(json, "hosts")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("replicas").ValueKind != JsonValueKind.Null).ToList();
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            var name = row.GetProperty("run").GetProperty("name").GetString()!;
            // Each replica's count is its own: their sum is what the load generator saw succeed (the reconciliation).
            Assert.True(row.GetProperty("reconciliation").GetProperty("matches").GetBoolean(), row.GetProperty("reconciliation").GetProperty("detail").GetString());
            var replicas = row.GetProperty("replicas").EnumerateArray().ToList();
            Assert.Equal(2, replicas.Count);
            var processor = replicas[0].GetProperty("service").GetString()!;
            Assert.StartsWith("processor-", processor);
            Assert.All(replicas, r => Assert.Equal(processor, r.GetProperty("service").GetString()));
            var served = replicas.Select(r => r.GetProperty("served").GetInt64()).ToArray();
            var ofProcessor = row.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == processor).GetProperty("served").GetInt64();
            Assert.Equal(ofProcessor, served.Sum());
            var oneConnection = name != "REST, JSON over HTTP/1.1";
            if (balance == "service" && oneConnection) Assert.True(served.Min() == 0, $"{name}: one HTTP/2 connection, yet both replicas served: {string.Join(", ", served)}");
            else Assert.True(served.Min() > 0.25 * served.Sum(), $"{name}: a replica served under a quarter: {string.Join(", ", served)}");
        }
    }

    private static string? Tag(JsonDocument json, string tag) =>
        json.RootElement.GetProperty("tags").TryGetProperty(tag, out var value) ? value.GetString() : null;

    /// <summary>Runs scripts/multihost.sh a second a row (the compare's <paramref name="only"/> rows) and checks it left nothing behind.</summary>
    /// <returns>What it printed, and its report.</returns>
    private static async Task<(string Output, JsonDocument Report)> MultihostAsync(string name, string[] options, string only)
    {
        Assert.True(Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root",
            "scripts/multihost.sh makes network namespaces, which needs root: run the tests as root (CI does)");
        var results = Path.Combine(ChainApp.LogDirectory, name);
        if (Directory.Exists(results)) Directory.Delete(results, recursive: true);

        var ran = await Ran.RunAsync("bash", ["scripts/multihost.sh", "-c", Repository.Configuration, "--no-build", .. options, "--out", results, "--",
            "-z", "1s", "--warmup", "1s", "--only", only], TimeSpan.FromMinutes(5), Repository.Root);
        var output = ran.Out + ran.Error;

        Assert.True(ran.ExitCode == 0, output);
        Assert.DoesNotContain("mh-", (await Ran.RunAsync("ip", ["netns", "list"], TimeSpan.FromSeconds(10))).Out);
        Assert.NotEqual(0, (await Ran.RunAsync("ip", ["link", "show", "mhbr0"], TimeSpan.FromSeconds(10))).ExitCode);
        Assert.Empty(Directory.Exists("/etc/netns") ? Directory.GetDirectories("/etc/netns", "mh-*") : []);
        var report = Directory.EnumerateFiles(results, "report.json", SearchOption.AllDirectories).Single();
        return (output, JsonDocument.Parse(await File.ReadAllTextAsync(report)));
    }
}
