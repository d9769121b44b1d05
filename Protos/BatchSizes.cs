using System.Globalization;

namespace Protos;

/// <summary>Records per batch as the CLI's <c>--size</c> and the dashboard's size field take them: one, or a comma-separated sweep.</summary>
public static class BatchSizes
{
    /// <summary>The sizes, each a whole number from 1 to <see cref="BatchSpec.MaxSize"/>; null when one is not, or none is given.</summary>
    public static IReadOnlyList<int>? Parse(string text)
    {
        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size is < 1 or > BatchSpec.MaxSize) return null;
            sizes.Add(size);
        }
        return sizes.Count > 0 ? sizes : null;
    }
}
