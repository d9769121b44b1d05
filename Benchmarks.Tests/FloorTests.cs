using LoadGenerator;
using LoadGenerator.Reports;
using LoadGenerator.Runs;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>The floor at a row's own rate: which rows measure it, how it is loaded, and what the report makes of it.</summary>
public class FloorTests
{
    private static readonly CompareSettings Compare = new() { Duration = TimeSpan.FromSeconds(20), Concurrency = 64 };
    private static readonly ChainAddresses Chains = ChainAddresses.Local();

    [Fact]
    public void The_headline_hops_load_their_ceiling_open_loop_at_their_own_rate()
    {
        var plan = ChainComparison.Plan(Compare, Chains).ToList();
        var floors = plan.Select(p => (p.Scenario, Floor: ChainComparison.FloorOf(p, Ran(p, 3_466.4), Compare, Chains))).ToList();

        Assert.Equal([Scenario.Rest, Scenario.RestProtobufH2, Scenario.GrpcShared, Scenario.GrpcBatched],
            floors.Where(f => f.Floor is not null).Select(f => f.Scenario));
        var rest = floors.Single(f => f.Scenario == Scenario.Rest).Floor!;
        var ceiling = plan.Single(p => p.Scenario == Scenario.RestCeiling);
        // The ceiling as it ran, but open loop at the row's rate: same connections, the same cap on requests in flight.
        Assert.Equal(ceiling.Settings with { Rate = 3_466 }, rest.Settings);
        Assert.Equal(64, rest.Settings.Concurrency);
        Assert.Equal(Scenario.GrpcCeiling, floors.Single(f => f.Scenario == Scenario.GrpcBatched).Floor!.Scenario);
        Assert.Equal("REST ceiling: one no-op hop at 3,466 req/s, the floor of REST, JSON over HTTP/1.1", rest.Name);
    }

    [Fact]
    public void A_row_that_served_nothing_has_no_floor_to_measure()
    {
        var rest = ChainComparison.Plan(Compare, Chains).Single(p => p.Scenario == Scenario.Rest);
        Assert.Null(ChainComparison.FloorOf(rest, Ran(rest, 0), Compare, Chains));
    }

    [Fact]
    public void The_hop_is_set_against_twice_the_floor_at_its_rate_beside_the_ceiling_flat_out()
    {
        var ceiling = ReportTests.Row("REST ceiling: one no-op hop", TargetKind.RestNoop, "rest", "HTTP/1.1", null, 20_000, 1, 0.5);
        var rest = ReportTests.Row("REST, JSON over HTTP/1.1", TargetKind.Rest, "rest", "HTTP/1.1", null, 3_000, 10, 2) with
        {
            Floor = new FloorRun(3_000, 2_990, 0.016, new Reconciliation(true, 29_900, new Dictionary<string, long>(), "")),
        };
        var report = ChainComparison.Report(DateTimeOffset.Now, "", [ceiling, rest], cancelled: false);

        var row = report.Rows[1];
        // The processor's 0.080 ms a request against two no-op ends: the ceiling's flat out, 0.016 each at the row's rate.
        Assert.Equal(0.080 / (2 * ceiling.ChainCpuMsPerRequest), row.HopOfFloor!.Value, 6);
        Assert.Equal(0.080 / (2 * 0.016), row.HopOfFloorAtRate!.Value, 6);
        Assert.Null(report.Rows[0].HopOfFloorAtRate);
        Assert.Contains("| 2.50× (no-op 0.016 at 2,990/s) |", ReportWriter.MarkdownTable(report));
        Assert.Contains("| A REST hop (JSON, HTTP/1.1) ÷ its floor at the same rate (the no-op loaded at the row's rate) | 2.50× (2.50×–2.50×) |",
            RepeatSummary.Markdown([report]));
    }

    private static ComparisonRow Ran(PlannedRow planned, double requestsPerSecond) =>
        ReportTests.Row(planned.Name, planned.Settings.Target, planned.Scenario.Chain, "", planned.Settings.StreamMode, requestsPerSecond, 5, 1);
}
