namespace LoadGenerator.Cli;

/// <summary>A command line the load generator can't run, with a message saying what is wrong.</summary>
public sealed class UsageException(string message) : Exception(message);
