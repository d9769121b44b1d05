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
        Assert.True(Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root",
            "scripts/multihost.sh makes network namespaces, which needs root: run the tests as root (CI does)");
        var results = Path.Combine(ChainApp.LogDirectory, "multihost");
        if (Directory.Exists(results)) Directory.Delete(results, recursive: true);

        var ran = await Ran.RunAsync("bash", ["scripts/multihost.sh", "-c", Repository.Configuration, "--no-build", "--link", "1gbit", "--out", results, "--",
            "-z", "1s", "--warmup", "1s", "--only", "rest,grpc-unary-shared"], TimeSpan.FromMinutes(5), Repository.Root);
        var output = ran.Out + ran.Error;

        Assert.True(ran.ExitCode == 0, output);
        Assert.Contains("hosts: loadgen 10.77.0.2, producer-rest 10.77.0.11", output);
        var report = Directory.EnumerateFiles(results, "report.json", SearchOption.AllDirectories).Single();
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
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

        Assert.DoesNotContain("mh-", (await Ran.RunAsync("ip", ["netns", "list"], TimeSpan.FromSeconds(10))).Out);
        Assert.NotEqual(0, (await Ran.RunAsync("ip", ["link", "show", "mhbr0"], TimeSpan.FromSeconds(10))).ExitCode);
    }
}
