using Protos;

namespace Producer;

/// <summary>One generated record, before either transport shapes it.</summary>
public readonly record struct GeneratedRecord(int Id, double Value, string Category);

/// <summary>
/// The producer's work: <c>size</c> records reproducible from <c>seed</c> (SplitMix64, so any 64-bit seed works and
/// the sequence never depends on the runtime's Random), values uniform in [0, 100), categories alpha/beta/gamma.
/// </summary>
public struct BatchGenerator(BatchSpec spec)
{
    public static readonly string[] Categories = ["alpha", "beta", "gamma"];

    private ulong state = unchecked((ulong)spec.Seed);
    private int produced;

    public readonly int Count => spec.Size;

    public GeneratedRecord Current { get; private set; }

    public readonly BatchGenerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (produced == spec.Size) return false;
        produced++;
        // 53 random bits make a double in [0, 1); times 100 it stays below 100.
        var value = (Next() >> 11) * (1.0 / (1UL << 53)) * 100.0;
        Current = new GeneratedRecord(produced, value, Categories[Next() % 3]);
        return true;
    }

    private ulong Next()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
