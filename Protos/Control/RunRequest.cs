namespace Protos.Control;

/// <summary>What the AppHost's dashboard commands ask the load generator to run: <c>POST /runs</c>.</summary>
/// <param name="Sizes">Records per batch; a comma-separated list sweeps sizes.</param>
/// <param name="Rate">Open loop: requests per second; none runs a closed loop.</param>
public sealed record RunRequest(RunKind Kind, double DurationSeconds = RunDefaults.DurationSeconds, double WarmupSeconds = RunDefaults.WarmupSeconds,
    int Concurrency = RunDefaults.Concurrency, string Sizes = "10", double? Rate = null)
{
    /// <summary>Where runs are started; each is then followed at <c>/runs/{id}</c> and cancelled with <c>DELETE /runs/{id}</c>.</summary>
    public const string Path = "/runs";

    /// <summary>
    /// What is wrong with this request, each under the name of the dashboard argument that sets it: the dialog shows them
    /// beside its fields before a run starts, and the control API refuses a request that has any.
    /// </summary>
    public IReadOnlyList<RunProblem> Problems()
    {
        var problems = new List<RunProblem>();
        if (DurationSeconds is <= 0 or > 3600) problems.Add(new("duration", $"duration must be between 0 and 3600 seconds, got {DurationSeconds}"));
        if (WarmupSeconds is < 0 or > 600) problems.Add(new("warmup", $"warm-up must be between 0 and 600 seconds, got {WarmupSeconds}"));
        if (Concurrency is < 1 or > 10_000) problems.Add(new("concurrency", $"concurrency must be between 1 and 10000, got {Concurrency}"));
        if (Rate is <= 0) problems.Add(new("rate", $"rate must be positive when given, got {Rate}"));
        if (BatchSizes.Parse(Sizes) is null)
        {
            problems.Add(new("size", $"size must be whole numbers between 1 and {BatchSpec.MaxSize}, comma-separated, got '{Sizes}'"));
        }
        return problems;
    }
}
