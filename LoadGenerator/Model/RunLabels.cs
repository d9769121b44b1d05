namespace LoadGenerator;

/// <summary>What a report is called and tagged with (ghz's <c>--name</c>, <c>--tags</c>), so runs can be told apart and found later.</summary>
public sealed record RunLabels(string? Name, IReadOnlyDictionary<string, string>? Tags)
{
    public static readonly RunLabels None = new(null, null);

    /// <summary>How a report's Markdown or summary shows them; empty when there are none.</summary>
    public string Line => (Name, Tags is { Count: > 0 } ? string.Join(", ", Tags.Select(t => $"{t.Key}={t.Value}")) : null) switch
    {
        (null, null) => "",
        ({ } name, null) => $"Name: {name}",
        (null, { } tags) => $"Tags: {tags}",
        ({ } name, { } tags) => $"Name: {name}; tags: {tags}",
    };
}
