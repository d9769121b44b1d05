using LoadGenerator;
using LoadGenerator.Runs;

namespace Benchmarks.Tests;

/// <summary>The knee rule on given steps: the highest rate offered, going up from the lowest, that still answered as a light load does.</summary>
public class KneeTests
{
    /// <summary>Steps at these percentages of a capacity of 1,000 req/s, with these p99s; every request sent and answered.</summary>
    internal static List<SweepStep> Steps(double[] percents, double[] p99s) => percents.Zip(p99s, (percent, p99) =>
        new SweepStep(percent, 10 * percent, 10 * percent, 10 * percent, Sent: 1000, Succeeded: 1000, new Dictionary<string, long>(), Unsent: 0,
            new LatencySummary(p99 / 2, p99 / 3, p99 / 2, p99, 1.5 * p99, 2 * p99))).ToList();

    private static readonly double[] Percents = [10, 25, 50, 70, 85, 100, 115, 130, 150];

    [Fact]
    public void The_knee_is_the_last_step_whose_p99_stays_within_the_factor_of_the_lowest_steps()
    {
        // Limit 3 × 2 ms = 6 ms: 100% (5.5 ms) holds, 115% (9 ms) does not.
        var knee = Knee.Find(Steps(Percents, [2, 2.1, 2.3, 2.8, 4, 5.5, 9, 30, 200]), factor: 3, capacity: 1000);

        Assert.NotNull(knee);
        Assert.Equal((1000.0, 100.0, 5.5, 6.0), (knee.OfferedRate, knee.Percent, knee.P99Ms, knee.LimitMs));
        Assert.Equal(1.0, knee.OfCapacity);
    }

    [Fact]
    public void A_step_that_recovers_after_one_broke_the_rule_is_not_the_knee()
    {
        var knee = Knee.Find(Steps([10, 50, 100, 150], [2, 7, 3, 3]), factor: 3, capacity: 1000);

        Assert.Equal(10, knee?.Percent);
    }

    [Fact]
    public void Steps_are_judged_rising_whatever_order_they_come_in()
    {
        var steps = Steps([10, 50, 100, 150], [2, 4, 5, 50]);
        steps.Reverse();

        var knee = Knee.Find(steps, factor: 3, capacity: 2000);

        Assert.Equal((100.0, 1000.0, 0.5), (knee!.Percent, knee.OfferedRate, knee.OfCapacity!.Value));
    }

    [Fact]
    public void There_is_no_knee_when_even_the_lowest_step_fails()
    {
        var errors = Steps(Percents, [2, 2, 2, 2, 2, 2, 2, 2, 2]);
        errors[0] = errors[0] with { Succeeded = 999, Errors = new Dictionary<string, long> { ["HTTP 502"] = 1 } };
        var unsent = Steps(Percents, [2, 2, 2, 2, 2, 2, 2, 2, 2]);
        unsent[0] = unsent[0] with { Sent = 980, Succeeded = 980, Unsent = 20 };
        var nothing = Steps(Percents, [2, 2, 2, 2, 2, 2, 2, 2, 2]);
        nothing[0] = nothing[0] with { Succeeded = 0, Errors = new Dictionary<string, long> { ["connection"] = 1000 }, Latency = new LatencySummary(0, 0, 0, 0, 0, 0) };

        Assert.Null(Knee.Find(errors, 3, 1000));
        Assert.Null(Knee.Find(unsent, 3, 1000));
        Assert.Null(Knee.Find(nothing, 3, 1000));
        Assert.Null(Knee.Find([], 3, 1000));
    }

    [Fact]
    public void A_single_error_or_one_percent_unsent_disqualifies_a_step_whatever_its_latency()
    {
        var errors = Steps(Percents, [2, 2, 2, 2, 2, 2, 2, 2, 2]);
        errors[3] = errors[3] with { Succeeded = 999, Errors = new Dictionary<string, long> { ["timeout"] = 1 } };
        var unsent = Steps(Percents, [2, 2, 2, 2, 2, 2, 2, 2, 2]);
        unsent[5] = unsent[5] with { Sent = 990, Succeeded = 990, Unsent = 10 };
        var justUnder = Steps(Percents, [2, 2, 2, 2, 2, 2, 2, 2, 2]);
        justUnder[5] = justUnder[5] with { Sent = 991, Succeeded = 991, Unsent = 9 };

        Assert.Equal(50, Knee.Find(errors, 3, 1000)?.Percent);
        Assert.Equal(85, Knee.Find(unsent, 3, 1000)?.Percent);
        Assert.Equal(150, Knee.Find(justUnder, 3, 1000)?.Percent);
    }

    [Fact]
    public void Without_a_capacity_the_knee_has_no_share_of_it()
    {
        Assert.Null(Knee.Find(Steps([10, 50], [2, 2]), 3, capacity: 0)!.OfCapacity);
    }
}
