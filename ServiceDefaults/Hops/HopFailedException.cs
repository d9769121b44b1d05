namespace ServiceDefaults.Hops;

/// <summary>A downstream call that failed, with the HTTP status a REST service answers for it and a message saying why.</summary>
public sealed class HopFailedException(int statusCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;
}
