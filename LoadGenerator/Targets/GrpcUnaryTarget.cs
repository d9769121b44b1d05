using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Protos;
using ServiceDefaults;

namespace LoadGenerator.Targets;

/// <summary>AggregatorService.Aggregate (or the ceiling's no-op): unary calls spread over a fixed number of HTTP/2 connections (ghz's <c>--connections</c>).</summary>
public sealed class GrpcUnaryTarget : ILoadTarget
{
    private readonly GrpcChannel[] channels;
    private readonly AggregatorService.AggregatorServiceClient[] clients;
    private readonly CeilingService.CeilingServiceClient[] ceilings;
    private readonly LoadSettings settings;
    private readonly Metadata? headers;
    private int next;

    public GrpcUnaryTarget(LoadSettings settings)
    {
        this.settings = settings;
        channels = GrpcConnections.Open(settings.Address, settings.Connections);
        clients = channels.Select(c => new AggregatorService.AggregatorServiceClient(c)).ToArray();
        ceilings = channels.Select(c => new CeilingService.CeilingServiceClient(c)).ToArray();
        headers = settings.StreamMode is { } mode ? StreamModes.Headers(mode) : null;
    }

    public string Shape(LoadSettings run) =>
        $"HTTP/2, {Counted.Of(channels.Length, "connection")} × up to {Counted.Of(Math.Max(1, run.Concurrency / channels.Length), "concurrent stream")}";

    public async ValueTask<string?> SendAsync(CancellationToken ct)
    {
        var i = (int)((uint)Interlocked.Increment(ref next) % (uint)clients.Length);
        try
        {
            if (settings.Target == TargetKind.GrpcNoop)
            {
                await ceilings[i].NoopAsync(new Empty(), headers, DateTime.UtcNow + settings.Timeout, ct);
                return null;
            }
            var answer = await clients[i].AggregateAsync(new AggregateRequest { Seed = settings.Seed, Size = settings.Size },
                headers, DateTime.UtcNow + settings.Timeout, ct);
            return answer.Count == settings.Size ? null : "wrong answer";
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            return GrpcConnections.ErrorKind(e);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var channel in channels) channel.Dispose();
        return ValueTask.CompletedTask;
    }
}
