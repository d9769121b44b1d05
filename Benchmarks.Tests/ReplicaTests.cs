using LoadGenerator;
using LoadGenerator.Reports;
using LoadGenerator.Runs;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>A service run as several replicas: read at each, charged and counted as their sum, and its spread reported.</summary>
public class ReplicaTests
{
    private static readonly Uri First = new("http://10.77.0.12:8001"), Second = new("http://10.77.0.112:8001");

    private static ServiceStats Stats(int process, long served, double cpuMs, long connections = 3, long streams = 0) =>
        new(process, "telemetry sampled", served, 1, 0, 0, streams, streams, cpuMs, cpuMs / 2, 0, connections, 100, 50, 0)
        {
            ServerBytes = new(served * 10, served * 20),
            ClientBytes = new(served * 30, served * 40),
            HeldBytes = 7,
        };

    private static ProbeReading Reading(params ReplicaReading[] replicas) =>
        new(new Dictionary<string, ServiceStats> { ["processor-rest"] = ReplicaReading.Sum(replicas) }, LoadGeneratorProcess.Read(), null)
        {
            Replicas = new Dictionary<string, IReadOnlyList<ReplicaReading>> { ["processor-rest"] = replicas },
        };

    [Fact]
    public void Replicas_add_up_to_one_service_whose_process_changes_when_any_of_them_restarts()
    {
        var one = new ReplicaReading(First, Stats(101, 300, 40));
        Assert.Same(one.Stats, ReplicaReading.Sum([one]));

        var both = ReplicaReading.Sum([one, new ReplicaReading(Second, Stats(202, 100, 20))]);
        Assert.Equal((400L, 2L, 90.0, 6L, 200L, 14L), (both.Served, both.Failed, both.CpuUserMs + both.CpuSystemMs, both.ConnectionsOpen, both.WorkingSetBytes, both.HeldBytes));
        Assert.Equal((4_000L, 8_000L), (both.ServerBytes.Read, both.ServerBytes.Written));
        Assert.Equal((12_000L, 16_000L), (both.ClientBytes.Read, both.ClientBytes.Written));
        Assert.Equal("telemetry sampled", both.Telemetry);
        // Nobody's process id, the same while the same processes serve, another once one of them is new.
        Assert.True(both.ProcessId < 0);
        Assert.Equal(both.ProcessId, ReplicaReading.Sum([one, new ReplicaReading(Second, Stats(202, 900, 90))]).ProcessId);
        Assert.NotEqual(both.ProcessId, ReplicaReading.Sum([one, new ReplicaReading(Second, Stats(203, 900, 90))]).ProcessId);
    }

    [Fact]
    public void A_rows_spread_is_each_replicas_share_of_what_it_served_meanwhile_a_restarted_one_counting_from_zero()
    {
        var before = Reading(new(First, Stats(101, 1_000, 10)), new(Second, Stats(202, 500, 10)));
        var after = Reading(new(First, Stats(101, 1_300, 20, connections: 26)), new(Second, Stats(303, 100, 5, connections: 1)));

        var spread = ReplicaShare.Between(before, after, ["processor-rest"]);

        Assert.Equal(
            [new ReplicaShare("processor-rest", First, 300, 0.75, 26, 0), new ReplicaShare("processor-rest", Second, 100, 0.25, 1, 0)],
            spread);
        // A service that is not replicated has no spread; a replicated one's processes are all the row's.
        Assert.Null(ReplicaShare.Between(before, after, ["aggregator-rest"]));
        Assert.Equal([101, 303], after.ProcessIds("processor-rest"));
        Assert.Equal([101, 303, Environment.ProcessId], after.Measured(["processor-rest"]).Order());
        Assert.Equal(new Dictionary<int, string> { [101] = "processor-rest", [303] = "processor-rest" }, after.Names());
    }

    [Fact]
    public void Reports_show_the_spread_row_by_row_and_side_by_side_by_how_the_replicas_were_balanced()
    {
        ComparisonReport Balanced(string balance, double firstShare) => new(DateTimeOffset.UnixEpoch, new MachineInfo(2, "Debian", ".NET 10"), "",
            [
                ReportTests.Row("REST, JSON over HTTP/1.1", TargetKind.Rest, "rest", "50 connections", null, 1_000, 2, 1) with
                {
                    Replicas = [new("processor-rest", First, 10, firstShare, 26, 0), new("processor-rest", Second, 10, 1 - firstShare, 26, 0)],
                },
                ReportTests.Row("REST ceiling: one no-op hop", TargetKind.RestNoop, "rest", "50 connections", null, 9_000, 1, 0.2),
            ]) { Tags = new Dictionary<string, string> { ["balance"] = balance } };

        var markdown = ReplicasReport.Markdown(Balanced("service", 1));
        Assert.StartsWith("## Spread over replicas", markdown);
        Assert.Contains("| REST, JSON over HTTP/1.1 | processor-rest | 10.77.0.112:8001 | 10 | 0% | 26 | 0 |", markdown);
        Assert.Equal("", ReplicasReport.Markdown(Balanced("service", 1) with { Rows = [ReportTests.Row("REST", TargetKind.Rest, "rest", "50", null, 1, 1, 1)] }));

        var spread = ReplicasReport.Spread([Balanced("service", 1), Balanced("client", 0.5)]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, spread.Length);
        Assert.Equal("| service | REST, JSON over HTTP/1.1 | processor-rest | 100% / 0% | 1,000 | ✓ |", spread[2]);
        Assert.Equal("| client | REST, JSON over HTTP/1.1 | processor-rest | 50% / 50% | 1,000 | ✓ |", spread[3]);
    }
}
