namespace Protos.Control;

/// <summary>What a run does unless told otherwise, the same from the dashboard, the control API and the CLI.</summary>
/// <remarks>A batch's seed and size default as a request's do: <see cref="BatchSpec.DefaultSeed"/>, <see cref="BatchSpec.DefaultSize"/>.</remarks>
public static class RunDefaults
{
    /// <summary>Requests in flight: the original's <c>-c 50</c>.</summary>
    public const int Concurrency = 50;

    /// <summary>Seconds measured per row of a comparison.</summary>
    public const double DurationSeconds = 10;

    /// <summary>Seconds of load before the measured window, not counted.</summary>
    public const double WarmupSeconds = 2;
}
