using System.ComponentModel;
using YamlDotNet.RepresentationModel;

namespace Benchmarks.Tests;

/// <summary>deploy/kubernetes as <c>kubectl kustomize</c> renders it: the objects a cluster would be given, and where an address leads among them.</summary>
public sealed class KubernetesManifests(IReadOnlyList<YamlMappingNode> objects)
{
    public const string Folder = "deploy/kubernetes";

    public static async Task<KubernetesManifests> RenderAsync()
    {
        Ran ran;
        try
        {
            ran = await Ran.RunAsync("kubectl", ["kustomize", Folder], TimeSpan.FromMinutes(1), Repository.Root);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"kubectl is needed to render {Folder} ({e.Message}): apt-get install -y kubectl (where its repository is set up), or Debian's own: apt-get install -y kubernetes-client", e);
        }
        Assert.True(ran.ExitCode == 0, $"kubectl kustomize {Folder} failed: {ran.Error}");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(ran.Out));
        return new KubernetesManifests([.. yaml.Documents.Select(d => (YamlMappingNode)d.RootNode)]);
    }

    public IEnumerable<YamlMappingNode> OfKind(string kind) => objects.Where(o => o.Text("kind") == kind);

    public YamlMappingNode Single(string kind, string name)
    {
        var named = OfKind(kind).Where(o => o.Text("metadata", "name") == name).ToList();
        Assert.True(named.Count == 1, $"{Folder} has {named.Count} {kind}s named {name}, not one");
        return named[0];
    }

    /// <summary>
    /// Where <paramref name="address"/> (<c>http://service:port</c>, as a pod in the namespace dials it) leads: each
    /// Deployment whose pods its Service selects, with the name of the container port that Service port reaches.
    /// </summary>
    public IReadOnlyList<(string Deployment, string? Port)> Behind(Uri address)
    {
        var service = Single("Service", address.Host);
        var port = service.Items("spec", "ports").SingleOrDefault(p => p.Text("port") == address.Port.ToString());
        Assert.True(port is not null, $"Service {address.Host} has no port {address.Port} (for {address})");
        var target = port.Text("targetPort") ?? port.Text("port");
        var selector = service.Pairs("spec", "selector");
        return [.. from deployment in OfKind("Deployment")
                   let labels = deployment.Pairs("spec", "template", "metadata", "labels")
                   where selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value)
                   select (deployment.Text("metadata", "name")!, Containers(deployment)
                       .SelectMany(c => c.Items("ports"))
                       .Where(p => p.Text("name") == target || p.Text("containerPort") == target)
                       .Select(p => p.Text("name"))
                       .FirstOrDefault())];
    }

    public static IEnumerable<YamlNode> Containers(YamlNode workload) => workload.Items("spec", "template", "spec", "containers");
}
