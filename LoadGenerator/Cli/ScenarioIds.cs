using System.Text;
using ServiceDefaults;

namespace LoadGenerator.Cli;

/// <summary>
/// A scenario as the command line names it, derived from what it is, never from its display name: the target's name in
/// kebab case, and the stream mode's as its header spells it (<c>grpc-unary-shared</c>, <c>rest</c>, <c>rest-noop</c>).
/// </summary>
public static class ScenarioIds
{
    public static string Of(Scenario scenario)
    {
        var id = new StringBuilder();
        foreach (var c in scenario.Target.ToString())
        {
            if (char.IsUpper(c) && id.Length > 0) id.Append('-');
            id.Append(char.ToLowerInvariant(c));
        }
        return scenario.StreamMode is { } mode ? $"{id}-{StreamModes.ToHeaderValue(mode)}" : id.ToString();
    }
}
