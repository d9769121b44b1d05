namespace LoadGenerator.Runs;

/// <summary>Where latency turns upward: the highest rate offered that a row still served as it serves a light load.</summary>
public static class Knee
{
    public static string Rule(double factor) =>
        $"The knee is the highest offered rate up to which every step, from the lowest up, kept its p99 within {factor:0.##}× the lowest step's p99, " +
        "with no errors and under 1% of its requests unsent; there is none when the lowest step fails. It is the rate a user can plan with.";

    /// <summary>The last step, going up from the lowest, before the first that breaks the rule; null when the lowest already breaks it.</summary>
    public static SweepKnee? Find(IReadOnlyList<SweepStep> steps, double factor, double capacity)
    {
        var rising = steps.OrderBy(s => s.OfferedRate).ToList();
        if (rising.Count == 0) return null;
        var limit = factor * rising[0].Latency.P99Ms;
        var held = rising.TakeWhile(s => s.Succeeded > 0 && s.Failed == 0 && s.UnsentShare < 0.01 && s.Latency.P99Ms <= limit).LastOrDefault();
        return held is null
            ? null
            : new SweepKnee(held.OfferedRate, capacity > 0 ? held.OfferedRate / capacity : null, held.Latency.P99Ms, limit, held.Percent);
    }
}
