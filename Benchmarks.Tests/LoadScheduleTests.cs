using System.Diagnostics;
using LoadGenerator;
using LoadGenerator.Runs;

namespace Benchmarks.Tests;

/// <summary>ghz's step and line schedules: the rate each interval asks for, and the send times that give it.</summary>
public class LoadScheduleTests
{
    [Fact]
    public void A_step_schedule_changes_its_rate_each_step_until_its_end_rate_or_its_longest_and_then_holds_it()
    {
        var toEnd = new LoadSchedule(50, 10, TimeSpan.FromSeconds(5), End: 75);
        var forMax = new LoadSchedule(200, -10, TimeSpan.FromSeconds(5), MaxDuration: TimeSpan.FromSeconds(40));
        var both = new LoadSchedule(10, 20, TimeSpan.FromSeconds(1), End: 100, MaxDuration: TimeSpan.FromSeconds(2));

        Assert.Equal([50.0, 50, 60, 70, 75, 75, 75], new[] { 0, 4.9, 5, 14.9, 15, 20, 600 }.Select(s => toEnd.RateAt(TimeSpan.FromSeconds(s))));
        Assert.Equal([200.0, 190, 130, 120, 120], new[] { 0, 5, 35, 40, 100 }.Select(s => forMax.RateAt(TimeSpan.FromSeconds(s))));
        // Whichever comes first: two seconds pass before the rate reaches 100.
        Assert.Equal([10.0, 30, 50, 50], new[] { 0, 1, 2, 9 }.Select(s => both.RateAt(TimeSpan.FromSeconds(s))));
        Assert.Equal((50.0, 120.0, 10.0), (toEnd.LowestRate, forMax.LowestRate, both.LowestRate));
        // Falling, the lowest is where the fall stops: its end rate, or the rate reached when its longest is up.
        Assert.Equal(150, (forMax with { End = 150 }).LowestRate);
        Assert.Equal(120, (forMax with { End = 100 }).LowestRate);
        Assert.Equal(100, (forMax with { End = 100, MaxDuration = null }).LowestRate);
        Assert.Equal(50 * 5 + 60 * 5 + 70 * 2.5, toEnd.SendsBy(TimeSpan.FromSeconds(12.5)), 6);
    }

    [Fact]
    public async Task A_line_schedule_sends_each_second_at_that_seconds_rate()
    {
        // Started long ago, every send is already due: the times are read without waiting for them.
        var started = Stopwatch.GetTimestamp() - 1000 * Stopwatch.Frequency;
        var schedule = new SendSchedule(started, new LoadSchedule(10, 20, TimeSpan.FromSeconds(1)), null, TimeSpan.FromSeconds(4));
        var sends = await DrainAsync(schedule);

        Assert.Equal(10 + 30 + 50 + 70, schedule.Scheduled);
        Assert.Equal([10, 30, 50, 70], sends.GroupBy(s => (int)Seconds(started, s.Due)).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.All(sends, s => Assert.Equal((long)Seconds(started, s.Due), s.Step));
        // Within a second the sends are evenly spaced at that second's rate.
        var third = sends.Where(s => s.Step == 2).Select(s => Seconds(started, s.Due)).ToList();
        Assert.All(third.Zip(third.Skip(1)), pair => Assert.Equal(1.0 / 50, pair.Second - pair.First, 6));
        Assert.Equal(4, schedule.Window.TotalSeconds, 6);
        Assert.Equal([10L, 30, 50, 70, 0], Enumerable.Range(0, 5).Select(k => schedule.ScheduledIn(k)));
    }

    [Fact]
    public async Task A_step_schedule_is_kept_in_real_time_without_sending_before_a_requests_intended_time()
    {
        // 100, 200, then 300 req/s, half a second each, for 2 s: 50 + 100 + 150 + 150 sends.
        var started = Stopwatch.GetTimestamp();
        var schedule = new SendSchedule(started, new LoadSchedule(100, 100, TimeSpan.FromMilliseconds(500), End: 300), null, TimeSpan.FromSeconds(2));
        var early = new List<TimeSpan>();
        var sends = await DrainAsync(schedule, (due, now) =>
        {
            if (now < due) early.Add(Stopwatch.GetElapsedTime(now, due));
        });

        Assert.Equal(450, sends.Count);
        Assert.Equal([50, 100, 150, 150], sends.GroupBy(s => s.Step).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.All(sends, s => Assert.Equal((long)(Seconds(started, s.Due) * 2), s.Step));
        Assert.True(early.Count == 0, $"{early.Count} sends left early, by up to {(early.Count > 0 ? early.Max().TotalMicroseconds : 0):0} µs");
        Assert.True(Stopwatch.GetElapsedTime(started).TotalSeconds >= 1.99, "the schedule was run through faster than it asks");
    }

    [Fact]
    public async Task A_constant_rate_is_one_step_as_before()
    {
        var started = Stopwatch.GetTimestamp() - 1000 * Stopwatch.Frequency;
        var schedule = new SendSchedule(started, 400, requests: 1000, duration: null);
        var sends = await DrainAsync(schedule);

        Assert.Equal(1000, sends.Count);
        Assert.All(sends, s => Assert.Equal(0, s.Step));
        Assert.Equal(2.5, schedule.Window.TotalSeconds, 6);
        Assert.Equal(999 / 400.0, Seconds(started, sends[^1].Due), 6);
    }

    [Fact]
    public void A_schedule_that_would_fall_to_nothing_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new SendSchedule(Stopwatch.GetTimestamp(), new LoadSchedule(100, -10, TimeSpan.FromSeconds(1)), 1000, null));
    }

    private static double Seconds(long started, long due) => (due - started) / (double)Stopwatch.Frequency;

    private static async Task<List<(long Due, long Step)>> DrainAsync(SendSchedule schedule, Action<long, long>? onSend = null)
    {
        var sends = new List<(long, long)>();
        while (await schedule.NextAsync(CancellationToken.None) is { } due)
        {
            onSend?.Invoke(due, Stopwatch.GetTimestamp());
            sends.Add((due, schedule.Step));
        }
        return sends;
    }
}
