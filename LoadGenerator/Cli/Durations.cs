using System.Globalization;
using System.Text.RegularExpressions;

namespace LoadGenerator.Cli;

/// <summary>Durations as ghz and Go write them: <c>10s</c>, <c>500ms</c>, <c>2m</c>, <c>1.5m</c>, <c>1m30s</c>, <c>1h</c>; a bare number is seconds.</summary>
public static partial class Durations
{
    public const string Examples = "10s, 500ms, 2m or 1m30s";

    /// <summary>The duration, above zero; null when the text is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var bare)) return bare > 0 ? TimeSpan.FromSeconds(bare) : null;
        var match = Parts().Match(text);
        if (!match.Success) return null;
        var seconds = match.Groups["number"].Captures.Zip(match.Groups["unit"].Captures).Sum(part =>
            double.Parse(part.First.Value, CultureInfo.InvariantCulture) * part.Second.Value switch
            {
                "h" => 3600,
                "m" => 60,
                "s" => 1,
                _ => 0.001,
            });
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    [GeneratedRegex(@"^(?:(?<number>\d+(?:\.\d+)?)(?<unit>ms|h|m|s))+$")]
    private static partial Regex Parts();
}
