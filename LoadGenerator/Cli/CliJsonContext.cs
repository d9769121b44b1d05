using System.Text.Json.Serialization;

namespace LoadGenerator.Cli;

/// <summary>The JSON the command line reads: ghz's <c>--tags</c> object.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
