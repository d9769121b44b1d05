using System.Text.Json.Serialization;

namespace LoadGenerator;

/// <summary>A report that carries the name and tags its run was given (<c>--name</c>, <c>--tags</c>); both null when none were, and in reports written before there were any.</summary>
public abstract record LabelledReport
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    [JsonIgnore]
    public RunLabels Labels
    {
        get => new(Name, Tags);
        init => (Name, Tags) = (value.Name, value.Tags);
    }
}
