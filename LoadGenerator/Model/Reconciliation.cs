namespace LoadGenerator;

/// <summary>Does what the load generator saw match what each service of the chain says it served?</summary>
public sealed record Reconciliation(bool Matches, long LoadGeneratorSucceeded, IReadOnlyDictionary<string, long> ServedByService, string Detail);
