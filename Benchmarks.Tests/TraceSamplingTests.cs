using System.Diagnostics;
using OpenTelemetry.Trace;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>What the AppHost's --TraceSampling means to a service, and the cap a second the lab traces with by default.</summary>
public class TraceSamplingTests
{
    [Theory]
    [InlineData("10/s", 10.0, null)]
    [InlineData("0.5/s", 0.5, null)]
    [InlineData("0.01", null, 0.01)]
    [InlineData("1", null, 1.0)]
    [InlineData("0", null, 0.0)]
    public void A_setting_is_traces_a_second_or_a_share_of_requests(string setting, double? perSecond, double? ratio) =>
        Assert.Equal(new TraceSampling(perSecond, ratio), TraceSampling.From(setting));

    [Theory]
    [InlineData("lots")]
    [InlineData("1.5")]
    [InlineData("-1/s")]
    [InlineData("ten/s")]
    public void A_bad_setting_is_refused_saying_what_is_wanted(string setting) =>
        Assert.Contains("traces a second such as 10/s", Assert.Throws<FormatException>(() => TraceSampling.From(setting)).Message);

    [Fact]
    public async Task The_cap_samples_one_trace_per_interval_however_many_requests_come()
    {
        var sampler = new TracesPerSecondSampler(20);
        int Sampled(int requests) => Enumerable.Range(0, requests).Count(_ =>
            sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "GET /aggregate", ActivityKind.Server)).Decision
            == SamplingDecision.RecordAndSample);

        // A burst: the first is traced, then nothing until 50 ms have passed.
        Assert.Equal(1, Sampled(10_000));
        await Task.Delay(TimeSpan.FromMilliseconds(60));
        Assert.Equal(1, Sampled(10_000));
        // A request now and then is always traced.
        await Task.Delay(TimeSpan.FromMilliseconds(60));
        Assert.Equal(1, Sampled(1));
    }

    [Fact]
    public void The_report_says_what_was_traced()
    {
        Assert.Equal("at most 10 new traces a second per service, followed down the chain", TraceSampling.From("10/s")!.Describe());
        Assert.Equal("every request traced", TraceSampling.From("1")!.Describe());
        Assert.Equal("1% of requests traced", TraceSampling.From("0.01")!.Describe());
    }
}
