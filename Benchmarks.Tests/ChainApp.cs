using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Aspire.Hosting.ApplicationModel;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Net.Http.Json;
using Protos;
using ServiceDefaults;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Benchmarks.Tests;

/// <summary>
/// The real AppHost under DCP, started once and shared by every end-to-end test of a collection. Its six services and its
/// dashboard get free ports instead of the fixed ones, so the tests run beside an AppHost a developer already has running.
/// </summary>
public class ChainApp : IAsyncLifetime
{
    public static readonly string[] Services =
        ["producer-rest", "processor-rest", "aggregator-rest", "producer-grpc", "processor-grpc", "aggregator-grpc"];

    private GrpcChannel? channel;

    /// <summary>Where the AppHost's and the services' logs go: under TestResults beside the test assembly.</summary>
    public static string LogDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults");

    /// <summary>Where the load generator writes its reports during the tests.</summary>
    public static string ResultsDirectory => Path.Combine(LogDirectory, "results");

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The dashboard's address for a browser: its login link, which carries this run's token.</summary>
    public Uri DashboardUrl { get; private set; } = null!;

    public HttpClient Rest { get; private set; } = null!;

    public AggregatorService.AggregatorServiceClient Grpc { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string[] endpoints = [.. Services, .. Services.Where(s => s.EndsWith("-grpc")).Select(s => $"{s}-http"), .. Services.Where(s => s.EndsWith("-rest")).Select(s => $"{s}-h2c")];
        var ports = FreePorts(endpoints.Length);
        var args = endpoints.Select((name, i) => $"--Ports:{name}={ports[i]}").Append($"--ResultsDirectory={ResultsDirectory}").ToArray();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, args, startup.Token);
        // The load commands ask for their arguments in a dialog; the testing builder turns such prompts off.
        builder.Configuration["ASPIRE_INTERACTIVITY_ENABLED"] = "true";
        Directory.CreateDirectory(LogDirectory);
        // The AppHost's log and every resource's output go to a file, not to the console: a test run prints test results.
        builder.Services.AddLogging(logging => logging
            .ClearProviders()
            .AddProvider(new FileLoggerProvider(Path.Combine(LogDirectory, $"{GetType().Name}.log")))
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Debug));
        App = await builder.BuildAsync(startup.Token);
        await App.StartAsync(startup.Token);
        await WaitAllHealthyAsync(startup.Token);
        DashboardUrl = await App.GetDashboardUrlAsync(startup.Token);

        Rest = App.CreateHttpClient("aggregator-rest", "http");
        channel = GrpcChannel.ForAddress(App.GetEndpoint("aggregator-grpc", "grpc"));
        Grpc = new AggregatorService.AggregatorServiceClient(channel);
    }

    public async Task WaitAllHealthyAsync(CancellationToken ct)
    {
        foreach (var name in Services.Append("loadgen")) await App.ResourceNotifications.WaitForResourceHealthyAsync(name, ct);
    }

    /// <summary>Both edges and every service's /stats, as the load generator's library takes them.</summary>
    public LoadGenerator.Runs.ChainAddresses Addresses() => new(
        new Uri(App.GetEndpoint("aggregator-rest", "http"), "/aggregate"),
        new Uri(App.GetEndpoint("aggregator-rest", "h2c"), "/aggregate"),
        App.GetEndpoint("aggregator-grpc", "grpc"),
        Services.ToDictionary(s => s, s => (IReadOnlyList<Uri>)[App.GetEndpoint(s, "http")]));

    /// <summary>A service's own counts (its <c>/stats</c>), read on its HTTP/1.1 endpoint.</summary>
    public async Task<ServiceStats> StatsAsync(string resource, CancellationToken ct)
    {
        using var http = App.CreateHttpClient(resource, "http");
        return (await http.GetFromJsonAsync<ServiceStats>("/stats", ct))!;
    }

    /// <summary>Sets the producer's fault knob through its "Slow down" command, as a user would from the dashboard.</summary>
    public async Task SetDelayAsync(string resource, int ms, CancellationToken ct)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, "set-delay",
            new InteractionInputCollection([new InteractionInput { Name = "ms", InputType = InputType.Number, Value = ms.ToString(System.Globalization.CultureInfo.InvariantCulture) }]), ct);
        Assert.True(result.Success, $"set-delay {ms} on {resource}: {result.Message}");
    }

    /// <summary>Sends a signal to a service's process, found by the id it reports, and waits until Aspire sees it gone.</summary>
    public async Task SignalAsync(string resource, Signal signal, CancellationToken ct)
    {
        var pid = (await StatsAsync(resource, ct)).ProcessId;
        Assert.Equal(0, Kill(pid, (int)signal));
        await App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, ct);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public async Task StopAsync(string resource, CancellationToken ct)
    {
        // Aspire gives up waiting after a while on a busy machine ("Failed to stop resource") while the process is
        // still on its way out; what matters here is that it ends.
        await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, "resource-stop", ct);
        await App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, ct);
    }

    public async Task StartAsync(string resource, CancellationToken ct)
    {
        await RunCommandAsync(resource, "resource-start", ct);
        // Right after the command the snapshot can still be the old process's exit, which the default behaviour takes
        // for a failed start; the new process is what is waited for.
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, ct);
    }

    private async Task RunCommandAsync(string resource, string command, CancellationToken ct)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, ct);
        Assert.True(result.Success, $"{command} on {resource}: {result.Message}");
    }

    public async Task DisposeAsync()
    {
        channel?.Dispose();
        Rest?.Dispose();
        if (App is not null) await App.DisposeAsync();
    }

    /// <summary>
    /// Free ports below the kernel's ephemeral range. A port the kernel handed out for a moment can be handed out again to
    /// any outgoing connection (DCP's, the dashboard's, the services' own) before the service binds it: that once failed a
    /// whole run with "address already in use".
    /// </summary>
    private static int[] FreePorts(int count)
    {
        var ephemeralStart = File.Exists(EphemeralRange) && int.TryParse(File.ReadAllText(EphemeralRange).Split('\t', ' ')[0], out var start) ? start : 32768;
        var held = new List<Socket>();
        try
        {
            for (var port = Random.Shared.Next(10_000, ephemeralStart - 1000); held.Count < count && port < ephemeralStart; port++)
            {
                var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                    // Held until all are found, so they are distinct; then released for the services to take.
                    held.Add(probe);
                }
                catch (SocketException)
                {
                    probe.Dispose();
                }
            }
            return held.Count == count
                ? held.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray()
                : throw new InvalidOperationException($"found only {held.Count} free ports below {ephemeralStart}");
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";
}

/// <summary>Waits for what the services report to reach a state, failing with <c>message</c> if it does not in time.</summary>
public static class Eventually
{
    /// <summary>A token that ends a test that has waited too long.</summary>
    public static CancellationToken Within(int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string message, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"{message} after {timeout.TotalSeconds:0} s");
            await Task.Delay(100, ct);
        }
    }
}

public enum Signal { Term = 15, Kill = 9 }

[CollectionDefinition(Name)]
public sealed class ChainCollection : ICollectionFixture<ChainApp>
{
    public const string Name = "chain";
}
