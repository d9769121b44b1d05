namespace LoadGenerator.Targets;

/// <summary>A count of things in a connection shape, as the report states it: "1 connection", "4 bidi streams".</summary>
public static class Counted
{
    public static string Of(int n, string one) => n == 1 ? $"1 {one}" : $"{n:N0} {one}s";
}
