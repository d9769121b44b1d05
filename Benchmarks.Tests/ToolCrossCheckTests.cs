using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;

namespace Benchmarks.Tests;

/// <summary>
/// The services' own counts checked against tools that have nothing to do with this project: ab on the REST edge,
/// h2load with a raw gRPC frame on the gRPC edge. CI installs both (.ci/run); elsewhere the tests skip without them.
/// </summary>
[Collection(ChainCollection.Name)]
public partial class ToolCrossCheckTests(ChainApp chain)
{
    [SkippableFact]
    public async Task What_ab_saw_succeed_is_what_each_rest_service_served()
    {
        RequireTool("ab", "apache2-utils");
        var edge = chain.App.GetEndpoint("aggregator-rest", "http");
        var before = await ServedAsync("rest");

        var output = await RunAsync("ab", "-k", "-n", "2000", "-c", "20", $"http://127.0.0.1:{edge.Port}/aggregate?seed=9&size=10");

        var complete = Number(output, @"Complete requests:\s+(\d+)");
        var failed = Number(output, @"Failed requests:\s+(\d+)");
        var non2xx = Regex.Match(output, @"Non-2xx responses:\s+(\d+)") is { Success: true } m ? long.Parse(m.Groups[1].Value) : 0;
        Assert.Equal(2000, complete);
        Assert.Equal((0L, 0L), (failed, non2xx));
        var after = await ServedAsync("rest");
        Assert.All(after, s => Assert.Equal(complete - failed - non2xx, s.Value - before[s.Key]));
    }

    [SkippableFact]
    public async Task What_h2load_saw_succeed_is_what_each_grpc_service_served()
    {
        RequireTool("h2load", "nghttp2-client");
        var edge = chain.App.GetEndpoint("aggregator-grpc", "grpc");
        // An empty AggregateRequest in gRPC's framing: not compressed, length 0. The chain reads it as seed 42, size 10.
        var frame = Path.Combine(ChainApp.LogDirectory, "empty-aggregate-request.bin");
        await File.WriteAllBytesAsync(frame, new byte[5]);
        var before = await ServedAsync("grpc");

        var output = await RunAsync("h2load", "-n", "2000", "-c", "4", "-m", "10", "-H", "content-type:application/grpc", "-H", "te:trailers", "-d", frame,
            $"http://127.0.0.1:{edge.Port}/AggregatorService/Aggregate");

        var succeeded = Number(output, @"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded");
        Assert.Equal(2000, succeeded);
        var after = await ServedAsync("grpc");
        Assert.All(after, s => Assert.Equal(succeeded, s.Value - before[s.Key]));
    }

    private async Task<Dictionary<string, long>> ServedAsync(string chainName)
    {
        var served = new Dictionary<string, long>();
        foreach (var name in ChainApp.Services.Where(s => s.EndsWith("-" + chainName)))
        {
            served[name] = (await chain.StatsAsync(name, CancellationToken.None)).Served;
        }
        return served;
    }

    private static void RequireTool(string tool, string package)
    {
        var found = Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));
        // In CI the tool is installed by .ci/run, so a missing one is a failure there, not a skip.
        if (!found && Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"{tool} is missing: .ci/run installs {package}");
        Skip.IfNot(found, $"{tool} is not installed (apt-get install {package})");
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var ran = await Ran.RunAsync(tool, arguments, TimeSpan.FromMinutes(2));
        Assert.True(ran.ExitCode == 0, $"{tool} exited {ran.ExitCode}: {ran.Error}");
        return ran.Out;
    }

    private static long Number(string output, string pattern)
    {
        var match = Regex.Match(output, pattern);
        Assert.True(match.Success, $"no '{pattern}' in:\n{output}");
        return long.Parse(match.Groups[1].Value);
    }
}
