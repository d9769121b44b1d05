using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Benchmarks.Tests;

/// <summary>Paths into a parsed Kubernetes object, as kubectl's JSONPath would read them: a missing step is null or empty, not an error.</summary>
public static class YamlNodes
{
    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        YamlNode? at = node;
        foreach (var step in path)
        {
            at = at is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(step), out var child) ? child : null;
        }
        return at;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.At(path) as YamlSequenceNode ?? Enumerable.Empty<YamlNode>();

    /// <summary>A mapping of scalars (labels, a selector) as a dictionary; empty when there is none.</summary>
    public static IReadOnlyDictionary<string, string> Pairs(this YamlNode node, params string[] path) =>
        (node.At(path) as YamlMappingNode)?.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!)
        ?? new Dictionary<string, string>();

    /// <summary>
    /// Whether a scalar reads as a string in YAML terms: a plain 2000 or true is a number or a boolean, which the API server
    /// refuses where a string belongs (an environment variable's value).
    /// </summary>
    public static bool IsString(this YamlScalarNode scalar) =>
        scalar.Style is not ScalarStyle.Plain || !(long.TryParse(scalar.Value, out _) || double.TryParse(scalar.Value, out _)
            || scalar.Value is "true" or "false" or "True" or "False" or "null" or "~" or "");
}
