using System.Collections.Immutable;
using Protos.Control;

namespace AppHost;

/// <summary>
/// The run the dashboard's load commands started. It is shown on the load generator's resource as properties, beside the
/// state Aspire keeps for the process (a run is not the process's state: it was Running all along), with a link to the
/// newest report; and while it goes every load command is disabled.
/// </summary>
public sealed class LoadRuns(ResourceNotificationService notifications, DistributedApplicationModel model)
{
    public const string RunProperty = "loadgen.run";
    public const string ProgressProperty = "loadgen.progress";
    public const string LatestReport = "Latest report";

    private RunStatus? going;

    /// <summary>A load command's state: disabled while a run goes.</summary>
    public ResourceCommandState CommandState => Volatile.Read(ref going) is null ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    /// <summary>Shows where the run is on <paramref name="loadgen"/>; when it starts or ends, the load commands follow.</summary>
    public async Task ShowAsync(IResource loadgen, RunStatus status)
    {
        var wasGoing = Interlocked.Exchange(ref going, status.State == RunState.Running ? status : null) is not null;
        await notifications.PublishUpdateAsync(loadgen, s => s with
        {
            Properties = Set(Set(s.Properties, RunProperty, "Run", $"{status.Kind.Name()} {status.Id}: {status.State.ToString().ToLowerInvariant()}"),
                ProgressProperty, "Progress", status.Error ?? status.Progress),
        });
        if (wasGoing != (status.State == RunState.Running)) await RefreshCommandsAsync();
    }

    /// <summary>Enables the load commands again after a run whose end was never seen (the load generator stopped answering).</summary>
    public async Task ForgetAsync()
    {
        if (Interlocked.Exchange(ref going, null) is not null) await RefreshCommandsAsync();
    }

    /// <summary>Points the resource's "Latest report" link at <paramref name="url"/>, now and in every snapshot Aspire makes after.</summary>
    public async Task ShowReportAsync(IResource loadgen, string url)
    {
        // Aspire rebuilds a resource's URLs from its annotations on each update of the process: the annotation holds it.
        if (loadgen.Annotations.OfType<ResourceUrlAnnotation>().FirstOrDefault(u => u.DisplayText == LatestReport) is { } annotation) annotation.Url = url;
        await notifications.PublishUpdateAsync(loadgen, s => s with
        {
            Urls = [.. s.Urls.Select(u => u.DisplayProperties.DisplayName == LatestReport ? u with { Url = url } : u)],
        });
    }

    /// <summary>A snapshot update re-evaluates a resource's command states; these are the resources with a load command.</summary>
    private async Task RefreshCommandsAsync()
    {
        foreach (var resource in model.Resources.Where(r => r.Annotations.OfType<ResourceCommandAnnotation>().Any(c => c.Name.StartsWith(LoadCommands.Prefix, StringComparison.Ordinal))))
        {
            await notifications.PublishUpdateAsync(resource, s => s);
        }
    }

    private static ImmutableArray<ResourcePropertySnapshot> Set(ImmutableArray<ResourcePropertySnapshot> properties, string name, string displayName, string value) =>
        [.. properties.Where(p => p.Name != name), new ResourcePropertySnapshot(name, value) { DisplayName = displayName }];
}
