namespace LoadGenerator.Cli;

/// <summary>What the load generator's exit code says, so a CI job can tell a breached threshold from a broken command line.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Requests failed, counts did not reconcile, a soak grew or a sweep found no knee.</summary>
    public const int RunFailed = 1;

    /// <summary>The command line (or the baseline it names) could not be used.</summary>
    public const int Usage = 2;

    /// <summary>A <c>--fail-if</c> threshold was breached against the <c>--baseline</c>.</summary>
    public const int ThresholdBreached = 3;
}
