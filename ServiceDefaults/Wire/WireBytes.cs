namespace ServiceDefaults.Wire;

/// <summary>Bytes read and written on HTTP connections so far, as counted on one side of them.</summary>
public readonly record struct WireBytes(long Read, long Written) : System.Numerics.ISubtractionOperators<WireBytes, WireBytes, WireBytes>
{
    public static WireBytes operator -(WireBytes after, WireBytes before) => new(after.Read - before.Read, after.Written - before.Written);
}
