namespace Protos.Control;

/// <summary>What the AppHost's dashboard commands ask the load generator to run: <c>POST /runs</c>.</summary>
/// <param name="Sizes">Records per batch; a comma-separated list sweeps sizes.</param>
/// <param name="Rate">Open loop: requests per second; none runs a closed loop.</param>
public sealed record RunRequest(RunKind Kind, double DurationSeconds = RunDefaults.DurationSeconds, double WarmupSeconds = RunDefaults.WarmupSeconds,
    int Concurrency = RunDefaults.Concurrency, string Sizes = "10", double? Rate = null)
{
    /// <summary>Where runs are started; each is then followed at <c>/runs/{id}</c>.</summary>
    public const string Path = "/runs";
}
