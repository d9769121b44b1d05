namespace LoadGenerator.Baselines;

/// <summary>
/// The Mann-Whitney U test of two sets of per-second samples: could they come from one distribution? It compares ranks,
/// not means, so a second of GC pause or a slow start moves it little, and it needs no assumption of normal noise.
/// Two-sided, normal approximation with a correction for ties and for continuity: close enough from about five samples a side.
/// </summary>
public static class MannWhitney
{
    /// <summary>A change is significant when its p-value is below this.</summary>
    public const double Alpha = 0.05;

    /// <summary>Fewer samples a side and the approximation can't be trusted (nor could the exact test reach <see cref="Alpha"/> with fewer than four).</summary>
    public const int FewestSamples = 5;

    /// <summary>The two-sided p-value of the samples coming from one distribution.</summary>
    public static double PValue(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        var (n1, n2) = ((double)first.Count, (double)second.Count);
        var pooled = first.Select(v => (Value: v, First: true)).Concat(second.Select(v => (Value: v, First: false))).OrderBy(x => x.Value).ToList();
        var n = pooled.Count;
        double firstRanks = 0, ties = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && pooled[j + 1].Value == pooled[i].Value) j++;
            // Tied values share the mean of the ranks they span (ranks from 1).
            var rank = (i + j) / 2.0 + 1;
            var tied = j - i + 1;
            firstRanks += rank * pooled.Skip(i).Take(tied).Count(x => x.First);
            ties += Math.Pow(tied, 3) - tied;
            i = j + 1;
        }
        var u = firstRanks - n1 * (n1 + 1) / 2;
        var sigma = Math.Sqrt(n1 * n2 / 12 * (n + 1 - ties / (n * (n - 1.0))));
        if (!(sigma > 0)) return 1;
        var z = Math.Max(0, Math.Abs(u - n1 * n2 / 2) - 0.5) / sigma;
        return Math.Min(1, 2 * (1 - NormalCdf(z)));
    }

    /// <summary>Φ(z) for z ≥ 0, Abramowitz and Stegun 26.2.17 (error under 7.5e-8).</summary>
    private static double NormalCdf(double z)
    {
        var t = 1 / (1 + 0.2316419 * z);
        var density = Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI);
        return 1 - density * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    }
}
