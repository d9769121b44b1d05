using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Aspire.Hosting.ApplicationModel;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Protos;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Benchmarks.Tests;

/// <summary>
/// The real AppHost under DCP, started once and shared by every end-to-end test of a collection. Its six services get
/// free ports instead of the seed's fixed ones, so the tests run beside an AppHost a developer already has running.
/// </summary>
public class ChainApp : IAsyncLifetime
{
    public static readonly string[] Services =
        ["producer-rest", "processor-rest", "aggregator-rest", "producer-grpc", "processor-grpc", "aggregator-grpc"];

    private GrpcChannel? channel;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Extra AppHost arguments for a variant of the app.</summary>
    protected virtual IEnumerable<string> Arguments => [];

    public HttpClient Rest { get; private set; } = null!;

    public AggregatorService.AggregatorServiceClient Grpc { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ports = FreePorts(Services.Length);
        var args = Services.Select((name, i) => $"--Ports:{name}={ports[i]}").Concat(Arguments).ToArray();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(args, startup.Token);
        App = await builder.BuildAsync(startup.Token);
        await App.StartAsync(startup.Token);
        await WaitAllHealthyAsync(startup.Token);

        Rest = App.CreateHttpClient("aggregator-rest", "http");
        channel = GrpcChannel.ForAddress(App.GetEndpoint("aggregator-grpc", "grpc"));
        Grpc = new AggregatorService.AggregatorServiceClient(channel);
    }

    public async Task WaitAllHealthyAsync(CancellationToken ct)
    {
        foreach (var name in Services) await App.ResourceNotifications.WaitForResourceHealthyAsync(name, ct);
    }

    public Task StopAsync(string resource, CancellationToken ct) => RunCommandAsync(resource, "resource-stop", ct);

    public async Task StartAsync(string resource, CancellationToken ct)
    {
        await RunCommandAsync(resource, "resource-start", ct);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, ct);
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

    private static int[] FreePorts(int count)
    {
        // Held open together so the six are distinct, then released for the services to take.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}

[CollectionDefinition(Name)]
public sealed class ChainCollection : ICollectionFixture<ChainApp>
{
    public const string Name = "chain";
}
