namespace LoadGenerator;

/// <summary>
/// An open loop's rate that changes over time, as ghz's <c>--load-schedule step|line</c> reads: <see cref="Start"/>
/// requests per second, changed by <see cref="Step"/> every <see cref="StepDuration"/> (a line changes it every second)
/// until the rate reaches <see cref="End"/> or <see cref="MaxDuration"/> has passed, whichever comes first; then held.
/// The rate is constant within a step, so a send's step is known from its intended time.
/// </summary>
public sealed record LoadSchedule(double Start, double Step, TimeSpan StepDuration, double? End = null, TimeSpan? MaxDuration = null)
{
    /// <summary>One rate throughout: a single step that never ends.</summary>
    public static LoadSchedule Constant(double rate) => new(rate, 0, TimeSpan.MaxValue);

    /// <summary>The rate of step <paramref name="step"/> (0 is the first).</summary>
    public double RateOfStep(long step)
    {
        var changes = MaxDuration is { } max ? Math.Min(step, max.Ticks / StepDuration.Ticks) : step;
        var rate = Start + Step * changes;
        return End is not { } end ? rate : Step > 0 ? Math.Min(rate, end) : Math.Max(rate, end);
    }

    /// <summary>The step a moment of the run falls in.</summary>
    public long StepAt(TimeSpan elapsed) => elapsed.Ticks / StepDuration.Ticks;

    /// <summary>The rate asked at a moment of the run.</summary>
    public double RateAt(TimeSpan elapsed) => RateOfStep(StepAt(elapsed));

    /// <summary>The lowest rate the schedule ever asks for: a falling one must stop above zero, or it would stop sending.</summary>
    public double LowestRate => Step >= 0 ? Start
        : MaxDuration is { } max ? RateOfStep(max.Ticks / StepDuration.Ticks)
        : End ?? double.NegativeInfinity;

    /// <summary>
    /// Sends due before step <paramref name="step"/> begins, as a fraction: send i is due in the step whose span of this
    /// count holds i. Summed step by step, in the order <see cref="Runs.SendSchedule"/> sums them, so both agree to the bit.
    /// </summary>
    public double SendsBefore(long step)
    {
        var sends = 0.0;
        for (var k = 0L; k < step; k++) sends += RateOfStep(k) * StepDuration.TotalSeconds;
        return sends;
    }

    /// <summary>Sends due in the first <paramref name="elapsed"/> of the run.</summary>
    public double SendsBy(TimeSpan elapsed)
    {
        var step = StepAt(elapsed);
        return SendsBefore(step) + RateAt(elapsed) * (elapsed - StepDuration * step).TotalSeconds;
    }

    /// <summary>How it reads on a console: ghz's words.</summary>
    public override string ToString()
    {
        var every = StepDuration == TimeSpan.FromSeconds(1) ? "every second" : $"every {StepDuration.TotalSeconds:0.###} s";
        var until = (End, MaxDuration) switch
        {
            ({ } end, { } max) => $" until {end:N0} req/s or {max.TotalSeconds:0.###} s",
            ({ } end, null) => $" until {end:N0} req/s",
            (null, { } max) => $" for {max.TotalSeconds:0.###} s",
            _ => "",
        };
        return $"{Start:N0} req/s, {Step:+#,0.##;-#,0.##} {every}{until}";
    }
}
