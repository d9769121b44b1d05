namespace LoadGenerator;

/// <summary>
/// A row's floor at its own rate: the no-op hop of its shape loaded open-loop at the rate the row ran, so a hop is set
/// against what a no-op end costs at the same rate (a no-op loaded flat out batches wake-ups a chain at a fifth of its
/// rate never sees).
/// </summary>
/// <param name="AskedPerSecond">The row's measured rate, asked of the no-op.</param>
/// <param name="RequestsPerSecond">What the no-op served.</param>
/// <param name="CpuMsPerNoop">The no-op end's CPU per no-op.</param>
/// <param name="Counts">Its served count against the load generator's.</param>
public sealed record FloorRun(double AskedPerSecond, double RequestsPerSecond, double CpuMsPerNoop, Reconciliation Counts);
