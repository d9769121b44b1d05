using HdrHistogram;
using HdrHistogram.Utilities;

namespace LoadGenerator.Runs;

/// <summary>
/// A run's latency histogram kept whole in its report: HdrHistogram's compressed encoding in base64, as its interval
/// logs carry it, so charts and percentile files can be drawn again from report.json alone. Values are microseconds.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Recorded values per millisecond: the scaling ratio that prints them in milliseconds.</summary>
    public const double UnitsPerMillisecond = 1000;

    public static string Encode(HistogramBase histogram)
    {
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        var encoded = new byte[histogram.EncodeIntoCompressedByteBuffer(buffer)];
        // The library's buffer hands its bytes out only one at a time.
        buffer.Position = 0;
        for (var i = 0; i < encoded.Length; i++) encoded[i] = buffer.Get();
        return Convert.ToBase64String(encoded);
    }

    /// <exception cref="InvalidDataException">The text is not a histogram in that encoding.</exception>
    public static HistogramBase Decode(string encoded)
    {
        try
        {
            return HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(Convert.FromBase64String(encoded)), 0);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or InvalidDataException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"not an HdrHistogram in its compressed base64 encoding: {e.Message}", e);
        }
    }
}
