using LoadGenerator.Runs;

namespace Benchmarks.Tests;

/// <summary>When a row stops waiting for the rest of the machine: quiet, or busy but no longer falling.</summary>
public class QuietWaitTests
{
    [Fact]
    public void A_background_still_falling_is_waited_for()
    {
        // The dashboard storing the previous row's telemetry: busy, and easing off second by second.
        Assert.False(QuietWait.IsSteady([48, 36, 29, 24, 20, 17]));
        Assert.False(QuietWait.IsSteady([30, 30, 30, 26, 25, 24]));
    }

    [Fact]
    public void A_steady_background_ends_the_wait_even_when_it_is_noisy()
    {
        // A browser on the dashboard and the machine's own daemons: busy, but as busy now as a few seconds ago.
        Assert.True(QuietWait.IsSteady([18, 22, 16, 19, 17, 21]));
        Assert.True(QuietWait.IsSteady([40, 31, 22, 18, 19, 18, 17, 19, 18]));
        // Rising counts as steady too: waiting would not make it fall.
        Assert.True(QuietWait.IsSteady([12, 12, 13, 15, 16, 18]));
    }

    [Fact]
    public void Fewer_than_six_readings_never_count_as_steady()
    {
        Assert.False(QuietWait.IsSteady([]));
        Assert.False(QuietWait.IsSteady([20, 20, 20, 20, 20]));
    }
}
