using LoadGenerator.Runs;
using ServiceDefaults;

namespace LoadGenerator.Serve;

/// <summary>One service over the last second: its chain (<c>rest</c> or <c>grpc</c>, from its name), CPU and requests served.</summary>
public sealed record ServiceReading(string Service, string Chain, double CpuPercent, double ServedPerSecond)
{
    public static ServiceReading Between(string service, ServiceStats before, ServiceStats after, double seconds)
    {
        var cpuMs = CpuTime.Between(CpuTime.Of(before), CpuTime.Of(after));
        var served = Gained.Between(before, after, s => s.Served);
        return new(service, service[(service.LastIndexOf('-') + 1)..], Math.Round(100 * cpuMs / (1000 * seconds), 1), Math.Round(served / seconds, 1));
    }
}
