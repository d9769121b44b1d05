using Benchmarks.Tests.Fakes;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Protos;
using ServiceDefaults;

namespace Benchmarks.Tests;

/// <summary>The interceptor that counts unary gRPC calls, in-process: a fake call and a handler that succeeds or throws.</summary>
public class UnaryCallCountingTests
{
    private readonly RequestCount chain = new(null, null);
    private readonly RequestCount ceiling = new(null, null);

    private UnaryCallCounting Counting => new(chain, ceiling);

    [Fact]
    public async Task A_chain_call_is_in_flight_while_it_runs_and_served_when_it_answers()
    {
        long inFlightMeanwhile = -1;
        var response = await Counting.UnaryServerHandler(new AggregateRequest(), new FakeCallContext("/AggregatorService/Aggregate"), (_, _) =>
        {
            inFlightMeanwhile = chain.InFlight;
            return Task.FromResult(new AggregateResponse { Count = 10 });
        });

        Assert.Equal(10, response.Count);
        Assert.Equal(1, inFlightMeanwhile);
        Assert.Equal((1, 0, 0), (chain.Served, chain.Failed, chain.InFlight));
        Assert.Equal(0, ceiling.Served);
    }

    [Fact]
    public async Task A_chain_call_that_throws_is_failed_once_and_the_exception_goes_on_unchanged()
    {
        var thrown = new RpcException(new Status(StatusCode.Unavailable, "processor-grpc is unavailable: down"));

        var e = await Assert.ThrowsAsync<RpcException>(() => Counting.UnaryServerHandler<AggregateRequest, AggregateResponse>(
            new AggregateRequest(), new FakeCallContext("/AggregatorService/Aggregate"), async (_, _) =>
            {
                await Task.Yield();
                throw thrown;
            }));

        Assert.Same(thrown, e);
        Assert.Equal((0, 1, 0), (chain.Served, chain.Failed, chain.InFlight));
    }

    [Fact]
    public async Task A_ceiling_no_op_is_counted_on_the_ceiling_and_never_in_flight()
    {
        long inFlightMeanwhile = -1;
        await Counting.UnaryServerHandler(new Empty(), new FakeCallContext("/CeilingService/Noop"), (request, _) =>
        {
            inFlightMeanwhile = ceiling.InFlight + chain.InFlight;
            return Task.FromResult(request);
        });

        Assert.Equal(0, inFlightMeanwhile);
        Assert.Equal(1, ceiling.Served);
        Assert.Equal((0, 0), (chain.Served, chain.Failed));
    }
}
