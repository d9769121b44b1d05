namespace LoadGenerator;

/// <summary>One process's CPU over a measured window, from the operating system's accounting (user + system).</summary>
public sealed record ServiceCpu(string Service, double CpuMs, double CpuMsPerRequest, double PercentOfCore, long Served, long Failed);
