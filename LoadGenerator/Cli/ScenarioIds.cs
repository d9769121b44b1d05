using System.Text;
using ServiceDefaults;
using ServiceDefaults.Rest;

namespace LoadGenerator.Cli;

/// <summary>
/// A scenario as the command line names it, derived from what it is, never from its display name: the target's name in
/// kebab case, the stream mode's as its header spells it, and a REST wire other than JSON over HTTP/1.1 as
/// its flags do (<c>grpc-unary-shared</c>, <c>rest</c>, <c>rest-protobuf-h2</c>, <c>rest-noop</c>).
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
        if (scenario.StreamMode is { } mode) id.Append('-').Append(StreamModes.ToHeaderValue(mode));
        if (scenario.Encoding is RestEncoding.Protobuf) id.Append("-protobuf");
        if (scenario.HttpVersion is RestHttpVersion.Http2) id.Append(scenario.Encoding is RestEncoding.Protobuf ? "-h2" : "-json-h2");
        return id.ToString();
    }
}
