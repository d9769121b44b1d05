using System.Diagnostics;
using System.Net.Http.Json;
using Grpc.Net.Client;
using Protos;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>
/// Each service as it would run in a container or a pod: started as a plain process from environment variables alone
/// (README, "Running a service from configuration alone"), no AppHost, each on an address of its own.
/// </summary>
public class StandaloneTests
{
    [Fact]
    public async Task Both_chains_run_from_environment_variables_alone_each_service_on_its_own_address()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // Every service on an address of its own, at the AppHost's fixed ports: as many hosts as services, here on loopback.
        await using var services = new StandaloneChain();
        services.Start("producer-rest", "Producer", "127.0.0.2", ChainTransport.Rest);
        services.Start("processor-rest", "Processor", "127.0.0.3", ChainTransport.Rest, ("producer-rest", "127.0.0.2"));
        services.Start("aggregator-rest", "Aggregator", "127.0.0.4", ChainTransport.Rest, ("processor-rest", "127.0.0.3"));
        services.Start("producer-grpc", "Producer", "127.0.0.5", ChainTransport.Grpc);
        services.Start("processor-grpc", "Processor", "127.0.0.6", ChainTransport.Grpc, ("producer-grpc", "127.0.0.5"));
        services.Start("aggregator-grpc", "Aggregator", "127.0.0.7", ChainTransport.Grpc, ("processor-grpc", "127.0.0.6"));
        await services.HealthyAsync(timeout.Token);

        using var http = new HttpClient();
        var rest = await http.GetFromJsonAsync<Aggregate>($"http://127.0.0.4:{ChainPorts.AggregatorRest}/aggregate?seed=7&size=25", timeout.Token);
        // The REST edge passes an HTTP/2 request on over HTTP/2: its downstream's h2c address comes from configuration too.
        using var h2c = new HttpClient(new SocketsHttpHandler()) { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var restH2 = await h2c.GetFromJsonAsync<Aggregate>($"http://127.0.0.4:{ChainPorts.AggregatorRestH2c}/aggregate?seed=7&size=25", timeout.Token);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.7:{ChainPorts.AggregatorGrpc}");
        var grpc = await new AggregatorService.AggregatorServiceClient(channel)
            .AggregateAsync(new AggregateRequest { Seed = 7, Size = 25 }, cancellationToken: timeout.Token);

        Assert.Equal(new Aggregate(25, grpc.Sum, grpc.Mean, grpc.Min, grpc.Max), rest);
        Assert.Equal(rest, restH2);
        Assert.Equal(25, grpc.Count);
        // Each service served what came down its own chain: two requests each on REST, one on gRPC.
        foreach (var (service, served) in services.Names.Select(s => (s, s.EndsWith("-rest") ? 2 : 1)))
        {
            var stats = await http.GetFromJsonAsync<ServedCount>(new Uri(services.StatsAddress(service), "/stats"), timeout.Token);
            Assert.Equal((service, served), (service, stats!.Served));
        }
    }

    private sealed record Aggregate(int Count, double Sum, double Mean, double Min, double Max);

    private sealed record ServedCount(long Served);

    /// <summary>Services started as processes of the built projects, ended with their process trees.</summary>
    private sealed class StandaloneChain : IAsyncDisposable
    {
        private readonly Dictionary<string, (Process Process, Uri Stats)> started = [];

        public IEnumerable<string> Names => started.Keys;

        public Uri StatsAddress(string service) => started[service].Stats;

        /// <param name="downstream">The service it calls and the address it is on, at that service's fixed ports.</param>
        public void Start(string name, string project, string address, ChainTransport transport, (string Name, string Address)? downstream = null)
        {
            var dll = Path.Combine(Repository.Root, project, "bin", Repository.Configuration, "net10.0", project + ".dll");
            var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            var env = start.Environment;
            env["Chain__Transport"] = transport.ToString();
            var (port, second, secondName, secondProtocols) = transport is ChainTransport.Rest
                ? (PortOf(name), PortOf(name) + 100, "h2c", "Http2")
                : (PortOf(name), PortOf(name + "-http"), "http", "Http1");
            var (firstName, firstProtocols) = transport is ChainTransport.Rest ? ("http", "Http1") : ("grpc", "Http2");
            env[$"Kestrel__Endpoints__{firstName}__Url"] = $"http://{address}:{port}";
            env[$"Kestrel__Endpoints__{firstName}__Protocols"] = firstProtocols;
            env[$"Kestrel__Endpoints__{secondName}__Url"] = $"http://{address}:{second}";
            env[$"Kestrel__Endpoints__{secondName}__Protocols"] = secondProtocols;
            if (downstream is { } calling)
            {
                var (calls, at) = calling;
                env["Chain__Downstream"] = calls;
                if (transport is ChainTransport.Grpc)
                {
                    env["Chain__DownstreamEndpoint"] = "grpc";
                    env[$"services__{calls}__grpc__0"] = $"http://{at}:{PortOf(calls)}";
                }
                else
                {
                    env[$"services__{calls}__http__0"] = $"http://{at}:{PortOf(calls)}";
                    env[$"services__{calls}__h2c__0"] = $"http://{at}:{PortOf(calls) + 100}";
                }
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
            // Drained so a chatty service never blocks on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            started[name] = (process, new Uri($"http://{address}:{(transport is ChainTransport.Rest ? port : second)}"));
        }

        public async Task HealthyAsync(CancellationToken ct)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            foreach (var (name, (process, stats)) in started)
            {
                await Eventually.TrueAsync(async () =>
                {
                    Assert.False(process.HasExited, $"{name} exited with {(process.HasExited ? process.ExitCode : 0)}");
                    try
                    {
                        using var health = await http.GetAsync(new Uri(stats, "/health"), ct);
                        return health.IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                    {
                        return false;
                    }
                }, TimeSpan.FromMinutes(1), $"{name} did not become healthy", ct);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (process, _) in started.Values)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }

        private static int PortOf(string service) => service switch
        {
            "producer-rest" => ChainPorts.ProducerRest,
            "processor-rest" => ChainPorts.ProcessorRest,
            "aggregator-rest" => ChainPorts.AggregatorRest,
            "producer-grpc" => ChainPorts.ProducerGrpc,
            "processor-grpc" => ChainPorts.ProcessorGrpc,
            "aggregator-grpc" => ChainPorts.AggregatorGrpc,
            "producer-grpc-http" => ChainPorts.ProducerGrpcHttp,
            "processor-grpc-http" => ChainPorts.ProcessorGrpcHttp,
            _ => ChainPorts.AggregatorGrpcHttp,
        };
    }
}
