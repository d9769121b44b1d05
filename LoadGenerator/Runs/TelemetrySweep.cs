using System.Net.Http.Json;
using ServiceDefaults;

namespace LoadGenerator.Runs;

/// <summary>
/// What observability costs on each transport: the comparison's rows, each run once per telemetry mode on the same
/// processes (every service switched alike before each), so a row's modes are minutes apart at most. Every service is
/// put back in the mode it had when the sweep ends, however it ends.
/// </summary>
public static class TelemetrySweep
{
    public static readonly IReadOnlyList<TelemetryMode> AllModes = Enum.GetValues<TelemetryMode>();

    /// <param name="only">Just these rows, each with its ceiling; null runs them all.</param>
    /// <summary>One comparison report per mode, in <paramref name="modes"/>' order, each tagged <c>telemetry=MODE</c>.</summary>
    public static async Task<IReadOnlyList<ComparisonReport>> RunAsync(CompareSettings compare, ChainAddresses chains, IReadOnlyList<TelemetryMode> modes,
        IProgress<RunProgress>? progress, CancellationToken ct, IReadOnlyCollection<Scenario>? only = null, RunLabels? labels = null)
    {
        var startedAt = DateTimeOffset.Now;
        using var probe = new ServiceProbe(chains.Stats);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var before = await ModesAsync(http, chains.Stats, ct);
        var rows = modes.ToDictionary(m => m, _ => new List<ComparisonRow>());
        var described = modes.ToDictionary(m => m, _ => "");
        var cancelled = false;
        try
        {
            var plan = (only is null ? ChainComparison.Plan(compare, chains) : ChainComparison.WithCeilings(only, compare, chains)).ToList();
            for (var i = 0; i < plan.Count; i++)
            {
                // The order turns round each row: no mode always goes first, on a chain the previous row left warm.
                foreach (var mode in i % 2 == 0 ? modes : modes.Reverse())
                {
                    await SetAsync(http, chains.Stats.Values.SelectMany(replicas => replicas), mode, ct);
                    var (row, stats) = await ChainComparison.MeasureAsync(plan[i] with { Name = $"{plan[i].Name} [{mode.Name()}]" }, probe, progress, ct);
                    rows[mode].Add(row with { Run = row.Run with { Name = plan[i].Name } });
                    described[mode] = ChainComparison.DescribeTelemetry(stats);
                }
            }
        }
        catch (Exception) when (ct.IsCancellationRequested && rows.Values.Any(r => r.Count > 0))
        {
            cancelled = true;
        }
        finally
        {
            foreach (var (_, address, mode) in before) await SetAsync(http, [address], mode, CancellationToken.None);
        }
        return modes.Select(mode => ChainComparison.Report(startedAt, described[mode], rows[mode], cancelled) with
        {
            Labels = Tagged(labels ?? RunLabels.None, mode),
        }).ToList();
    }

    /// <summary>The mode a report was measured in, from its tag; null for a report of no sweep.</summary>
    public static TelemetryMode? ModeOf(ComparisonReport report) =>
        report.Labels.Tags?.GetValueOrDefault(Tag) is { } mode ? TelemetryModes.Parse(mode) : null;

    private const string Tag = "telemetry";

    private static RunLabels Tagged(RunLabels labels, TelemetryMode mode) =>
        labels with { Tags = new Dictionary<string, string>(labels.Tags ?? new Dictionary<string, string>()) { [Tag] = mode.Name() } };

    /// <summary>The mode each replica of every service is in.</summary>
    private static async Task<IReadOnlyList<(string Service, Uri Address, TelemetryMode Mode)>> ModesAsync(HttpClient http,
        IReadOnlyDictionary<string, IReadOnlyList<Uri>> services, CancellationToken ct)
    {
        var modes = new List<(string, Uri, TelemetryMode)>();
        foreach (var (service, replicas) in services)
        {
            foreach (var address in replicas)
            {
                var answer = await http.GetFromJsonAsync<ModeAnswer>(new Uri(address, TelemetryModes.Path), ct);
                modes.Add((service, address, TelemetryModes.Parse(answer?.Mode)
                    ?? throw new InvalidOperationException($"{service} at {address} named no telemetry mode at {TelemetryModes.Path}")));
            }
        }
        return modes;
    }

    private static async Task SetAsync(HttpClient http, IEnumerable<Uri> services, TelemetryMode mode, CancellationToken ct)
    {
        foreach (var address in services)
        {
            using var answer = await http.PutAsync(new Uri(address, $"{TelemetryModes.Path}?mode={mode.Name()}"), null, ct);
            if (!answer.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{address} refused telemetry mode {mode.Name()}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(ct)}");
            }
        }
    }

    private sealed record ModeAnswer(string Mode);
}
