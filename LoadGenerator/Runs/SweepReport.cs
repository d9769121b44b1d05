using System.Text.Json.Serialization;

namespace LoadGenerator.Runs;

/// <summary>A sweep of the comparison's rows: for each, latency at open-loop rates stepped across its capacity, and its knee.</summary>
public sealed record SweepReport(DateTimeOffset StartedAt, MachineInfo Machine, SweepSettings Settings, IReadOnlyList<SweepRow> Rows) : LabelledReport;

/// <summary>
/// One row swept: its closed-loop capacity, each step offered, and the knee found in them.
/// <see cref="Settings"/> are the row's closed-loop ones; each step runs them open-loop at its rate, with <see cref="SweepSettings.MaxInFlight"/> in flight at most.
/// </summary>
public sealed record SweepRow(
    string Name,
    LoadSettings Settings,
    string ConnectionShape,
    QuietWait Quiet,
    double WarmupSeconds,
    double Capacity,
    IReadOnlyList<SweepStep> Steps,
    SweepKnee? Knee)
{
    [JsonIgnore]
    public Scenario Scenario => Scenario.Of(Settings);
}

/// <summary>
/// One rate offered to a row: what was sent and what came back. Latency counts from each request's intended send time.
/// <see cref="Counts"/> sets the successes against what the row's services say they served meanwhile.
/// </summary>
public sealed record SweepStep(
    double Percent,
    double OfferedRate,
    double SentPerSecond,
    double Goodput,
    long Sent,
    long Succeeded,
    IReadOnlyDictionary<string, long> Errors,
    long Unsent,
    LatencySummary Latency,
    Reconciliation? Counts = null)
{
    public long Failed => Errors.Values.Sum();

    /// <summary>The share of the requests due in the step that were never sent: every slot in flight was taken until its end.</summary>
    public double UnsentShare => Sent + Unsent > 0 ? (double)Unsent / (Sent + Unsent) : 0;

    public static SweepStep Of(double percent, RunResult run, Reconciliation? counts) => new(percent, run.Settings.Rate ?? 0,
        run.SentPerSecond, run.RequestsPerSecond, run.Sent, run.Succeeded, run.Errors, run.Unsent, run.Latency, counts);
}

/// <summary>The most a row can be offered while it still answers as it does when lightly loaded (see <see cref="Knee.Rule"/>).</summary>
/// <param name="OfCapacity">The knee's rate as a share of the closed-loop capacity; null when the capacity measured nothing.</param>
/// <param name="LimitMs">The p99 a step may reach: the knee factor × the lowest step's p99.</param>
public sealed record SweepKnee(double OfferedRate, double? OfCapacity, double P99Ms, double LimitMs, double Percent);
