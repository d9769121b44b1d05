using System.Reflection;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using LoadGenerator.Runs;
using Microsoft.Extensions.Logging.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Benchmarks.Tests;

/// <summary>
/// deploy/kubernetes, rendered by <c>kubectl kustomize</c>, against the AppHost's own model (built, not started): every
/// chain service runs in the cluster on the AppHost's ports, with its environment, reaching what the AppHost points it
/// at, probed where it serves HTTP/1.1 or gRPC; the load generator's Job compares the same edges and counts the same
/// services. No cluster is needed, nor used: what a cluster alone would show is not checked here.
/// </summary>
public partial class KubernetesTests
{
    private const string Dashboard = "aspire-dashboard";

    [Fact]
    public async Task Every_chain_service_runs_in_the_cluster_as_the_AppHost_runs_it()
    {
        var manifests = await KubernetesManifests.RenderAsync();
        var chain = (await AppHostProjectsAsync()).Where(p => p.Environment.ContainsKey("Chain__Transport")).ToList();
        Assert.Equal(ChainApp.Services.Order(), chain.Select(s => s.Name).Order());
        Assert.Equal(chain.Select(s => s.Name).Append(Dashboard).Order(), manifests.OfKind("Deployment").Select(d => d.Text("metadata", "name")).Order());

        foreach (var service in chain)
        {
            var container = KubernetesManifests.Containers(manifests.Single("Deployment", service.Name)).Single();
            var env = container.Items("env").ToDictionary(e => e.Text("name")!, e => (YamlScalarNode)e.At("value")!);
            Assert.All(env, e => Assert.True(e.Value.IsString(), $"{service.Name}: {e.Key}'s value {e.Value.Value} is not a string in YAML; quote it"));

            // Its ports are the AppHost's, by endpoint name, in the pod and on its Service.
            Assert.Equal(service.Endpoints.Select(e => (e.Name, e.TargetPort ?? e.Port)).Order(),
                container.Items("ports").Select(p => (p.Text("name")!, (int?)int.Parse(p.Text("containerPort")!))).Order());
            // Its own name is a ClusterIP Service: the address the AppHost's references become.
            Assert.Null(manifests.Single("Service", service.Name).Text("spec", "clusterIP"));
            foreach (var endpoint in service.Endpoints)
            {
                LeadsTo(manifests, $"{service.Name}'s {endpoint.Name} endpoint", new Uri($"http://{service.Name}:{endpoint.Port}"), service.Name, endpoint.Name);
            }

            // The environment the AppHost gives it, bound to every address in the pod instead of loopback, its downstream a Service.
            var configured = service.Environment.Where(e => IsChainConfiguration(e.Key)).ToDictionary();
            Assert.Equal((service.Name, string.Join(", ", configured.Keys.Order())), (service.Name, string.Join(", ", env.Keys.Where(IsChainConfiguration).Order())));
            foreach (var (key, value) in configured)
            {
                var set = env[key].Value!;
                if (KestrelUrl().IsMatch(key))
                {
                    var port = new Uri(value).Port;
                    Assert.Contains(set, (string[])[$"http://0.0.0.0:{port}", $"http://+:{port}"]);
                }
                else if (key.StartsWith("services__", StringComparison.Ordinal))
                {
                    var (resource, endpoint, _) = EndpointReference(value);
                    LeadsTo(manifests, $"{service.Name}'s {key}", new Uri(set), resource, endpoint);
                }
                else
                {
                    Assert.True(value == set, $"{service.Name}: {key} is '{set}' in {KubernetesManifests.Folder}, '{value}' in the AppHost");
                }
            }
            Assert.Equal(service.Name, env["OTEL_SERVICE_NAME"].Value);
            LeadsTo(manifests, $"{service.Name}'s OTEL_EXPORTER_OTLP_ENDPOINT", new Uri(env["OTEL_EXPORTER_OTLP_ENDPOINT"].Value!), Dashboard, "otlp-grpc");

            // Probed on a port that speaks what the probe does: kubelet's HTTP GET is HTTP/1.1, its gRPC probe HTTP/2.
            string Protocols(string endpoint) => configured[$"Kestrel__Endpoints__{endpoint}__Protocols"];
            Assert.Equal("/health", container.Text("readinessProbe", "httpGet", "path"));
            foreach (var kind in ((string[])["readinessProbe", "livenessProbe", "startupProbe"]).Where(p => container.At(p) is not null))
            {
                var probe = container.At(kind)!;
                var (port, speaks) = probe.At("grpc") is { } grpc ? (grpc.Text("port"), "Http2") : (probe.Text("httpGet", "port"), "Http1");
                var endpoint = service.Endpoints.SingleOrDefault(e => e.Name == port || (e.TargetPort ?? e.Port).ToString() == port);
                Assert.True(endpoint is not null && Protocols(endpoint.Name) == speaks, $"{service.Name}'s {kind} asks port {port}, which does not serve {speaks}");
                if (speaks == "Http1") Assert.Contains(probe.Text("httpGet", "path"), (string[])["/health", "/alive"]);
            }
            if (configured["Chain__Transport"] == "Grpc") Assert.NotNull(container.At("livenessProbe", "grpc"));
            Assert.NotNull(container.At("resources", "requests"));
            Assert.NotNull(container.At("resources", "limits"));
        }
    }

    [Fact]
    public async Task A_gRPC_hop_dials_its_downstream_through_a_headless_Service()
    {
        var manifests = await KubernetesManifests.RenderAsync();
        var hops = (await AppHostProjectsAsync()).SelectMany(p => p.Environment)
            .Where(e => e.Key.StartsWith("services__", StringComparison.Ordinal) && e.Key.EndsWith("__grpc__0", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, hops.Count);
        foreach (var deployment in manifests.OfKind("Deployment"))
        {
            foreach (var hop in KubernetesManifests.Containers(deployment).SelectMany(c => c.Items("env")).Where(e => hops.Any(h => h.Key == e.Text("name"))))
            {
                // One HTTP/2 connection carries the whole hop: behind a ClusterIP it would stay on one pod; a headless name lists
                // them all, and gRPC's round_robin connects to each and spreads the calls.
                var service = manifests.Single("Service", new Uri(hop.Text("value")!).Host);
                Assert.True(service.Text("spec", "clusterIP") == "None", $"{deployment.Text("metadata", "name")}'s {hop.Text("name")} dials {service.Text("metadata", "name")}, which is not headless");
                var balancing = KubernetesManifests.Containers(deployment).SelectMany(c => c.Items("env")).SingleOrDefault(e => e.Text("name") == "Chain__GrpcLoadBalancing");
                Assert.True(balancing?.Text("value") == "round_robin", $"{deployment.Text("metadata", "name")} dials a headless Service without Chain__GrpcLoadBalancing=round_robin");
            }
        }
    }

    [Fact]
    public async Task The_load_generator_job_compares_the_edges_and_counts_the_services_the_AppHost_gives_it()
    {
        var manifests = await KubernetesManifests.RenderAsync();
        var loadgen = (await AppHostProjectsAsync()).Single(p => p.Name == "loadgen");
        var job = manifests.Single("Job", "loadgen");
        var container = KubernetesManifests.Containers(job).Single();
        Assert.Equal(["compare", "--chains", "/config/chains.json", "--out", "/results"], container.Items("args").Select(a => ((YamlScalarNode)a).Value));
        var pod = job.At("spec", "template", "spec")!;
        string VolumeAt(string path) => container.Items("volumeMounts").Single(m => m.Text("mountPath") == path).Text("name")!;
        YamlNode Volume(string name) => pod.Items("volumes").Single(v => v.Text("name") == name);

        // The chains file, as the load generator reads it, names what the AppHost hands the load generator: both edges and every /stats.
        var chainsFile = manifests.Single("ConfigMap", Volume(VolumeAt("/config")).Text("configMap", "name")!).Text("data", "chains.json")!;
        var path = Path.Combine(Path.GetTempPath(), $"chains-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, chainsFile);
        ChainAddresses chains;
        try
        {
            chains = ChainAddresses.Read(path);
        }
        finally
        {
            File.Delete(path);
        }
        // One replica a service (deploy/kubernetes/README.md says why).
        var addresses = chains.Stats.ToDictionary(s => $"LoadGen__Stats__{s.Key}", s => Assert.Single(s.Value));
        addresses["LoadGen__Rest"] = chains.Rest;
        addresses["LoadGen__RestH2c"] = chains.RestH2c;
        addresses["LoadGen__Grpc"] = chains.Grpc;
        Assert.Equal(loadgen.Environment.Keys.Where(k => k.StartsWith("LoadGen__Stats__", StringComparison.Ordinal) || k is "LoadGen__Rest" or "LoadGen__RestH2c" or "LoadGen__Grpc").Order(),
            addresses.Keys.Order());
        foreach (var (key, address) in addresses)
        {
            var (resource, endpoint, route) = EndpointReference(loadgen.Environment[key]);
            LeadsTo(manifests, $"chains.json's address for {key}", address, resource, endpoint);
            Assert.Equal(route, address.AbsolutePath.TrimEnd('/'));
        }

        // It starts once every service it counts answers /health; its report goes to a claim that outlives the Job, which the reader mounts.
        var wait = string.Join('\n', pod.Items("initContainers").SelectMany(c => c.Items("command")).Select(c => ((YamlScalarNode)c).Value));
        Assert.All(chains.Stats.Values.SelectMany(replicas => replicas), stats => Assert.Contains(stats.GetLeftPart(UriPartial.Authority), wait));
        Assert.Contains("/health", wait);
        var claim = Volume(VolumeAt("/results")).Text("persistentVolumeClaim", "claimName")!;
        manifests.Single("PersistentVolumeClaim", claim);
        var reader = new YamlStream();
        reader.Load(new StringReader(await File.ReadAllTextAsync(Path.Combine(Repository.Root, KubernetesManifests.Folder, "results-reader.yaml"))));
        Assert.Equal(claim, reader.Documents.Single().RootNode.Items("spec", "volumes").Single().Text("persistentVolumeClaim", "claimName"));
    }

    [Fact]
    public async Task The_images_are_the_ones_PublishContainer_makes_and_the_dashboard_is_the_AppHosts_Aspire()
    {
        var manifests = await KubernetesManifests.RenderAsync();
        var projects = await AppHostProjectsAsync();
        var workloads = manifests.OfKind("Deployment").Concat(manifests.OfKind("Job")).ToList();
        foreach (var role in projects.GroupBy(p => p.Project))
        {
            var ran = await Ran.RunAsync("dotnet", ["msbuild", Path.Combine(role.Key, role.Key + ".csproj"), "-getProperty:ContainerRepository"],
                TimeSpan.FromMinutes(1), Repository.Root);
            Assert.True(ran.ExitCode == 0, ran.Out + ran.Error);
            foreach (var resource in role)
            {
                var workload = workloads.Single(w => w.Text("metadata", "name") == resource.Name);
                Assert.Equal($"{ran.Out.Trim()}:latest", KubernetesManifests.Containers(workload).Single().Text("image"));
            }
        }

        var aspire = typeof(DistributedApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var dashboard = KubernetesManifests.Containers(manifests.Single("Deployment", Dashboard)).Single();
        Assert.Equal($"mcr.microsoft.com/dotnet/aspire-dashboard:{string.Join('.', aspire.Split('.', '+', '-').Take(2))}", dashboard.Text("image"));
        Assert.Equal((string[])["18888", "18889"], dashboard.Items("ports").Select(p => p.Text("containerPort")!));
    }

    /// <summary>
    /// What the deployment must give a service as the AppHost does. Not the control token: it is one AppHost run's secret
    /// for its dashboard commands, and the cluster has none. Not gRPC's own balancing: on one machine there is one address
    /// to dial. Not the OTLP settings Aspire adds: the dashboard's address differs.
    /// </summary>
    private static bool IsChainConfiguration(string key) =>
        key is not ("Chain__ControlToken" or "Chain__GrpcLoadBalancing") && (key.StartsWith("Chain__", StringComparison.Ordinal) || key.StartsWith("Kestrel__", StringComparison.Ordinal)
            || key.StartsWith("services__", StringComparison.Ordinal) || key is "OTEL_METRIC_EXPORT_INTERVAL" or "DOTNET_GCgen0size");

    /// <summary>A project resource of the AppHost: its project, its environment as Aspire publishes it, its endpoints.</summary>
    private sealed record ModelledProject(string Name, string Project, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<EndpointAnnotation> Endpoints);

    /// <summary>The AppHost's project resources, from its model alone: built, never run, so an endpoint reads as a reference, not an address.</summary>
    private static async Task<IReadOnlyList<ModelledProject>> AppHostProjectsAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([], timeout.Token);
        var projects = new List<ModelledProject>();
        // Published, as a deployment tool reads the model: an endpoint a service is pointed at stays a reference to it.
        var publishing = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var configuration = await ExecutionConfigurationBuilder.Create(project).WithEnvironmentVariablesConfig()
                .BuildAsync(publishing, NullLogger.Instance, timeout.Token);
            Assert.Null(configuration.Exception);
            projects.Add(new(project.Name, Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath),
                configuration.EnvironmentVariables.ToDictionary(), [.. project.Annotations.OfType<EndpointAnnotation>()]));
        }
        return projects;
    }

    private static void LeadsTo(KubernetesManifests manifests, string what, Uri address, string resource, string endpoint)
    {
        var behind = manifests.Behind(address);
        Assert.True(behind.SequenceEqual([(resource, (string?)endpoint)]),
            $"{what} is {address}, which leads to [{string.Join(", ", behind)}], not to {resource}'s {endpoint} endpoint");
    }

    /// <summary>An endpoint as a published environment variable names it, <c>{producer-rest.bindings.http.url}</c>, and what follows it.</summary>
    private static (string Resource, string Endpoint, string Path) EndpointReference(string value)
    {
        var match = PublishedEndpoint().Match(value);
        Assert.True(match.Success, $"'{value}' is not an endpoint reference");
        return (match.Groups["resource"].Value, match.Groups["endpoint"].Value, match.Groups["path"].Value);
    }

    [GeneratedRegex(@"^\{(?<resource>[^.}]+)\.bindings\.(?<endpoint>[^.}]+)\.url\}(?<path>.*)$")]
    private static partial Regex PublishedEndpoint();

    [GeneratedRegex("^Kestrel__Endpoints__[^_]+__Url$")]
    private static partial Regex KestrelUrl();
}
