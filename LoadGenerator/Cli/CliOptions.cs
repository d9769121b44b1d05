using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using LoadGenerator.Baselines;
using LoadGenerator.Runs;
using Protos;
using ServiceDefaults;
using ServiceDefaults.Rest;

namespace LoadGenerator.Cli;

/// <summary>
/// The kinds of option the command line takes, each reading its value and refusing a bad one with a message that names
/// the option, says what it takes and what it got. A new option per command: an option belongs to one command.
/// </summary>
internal static class CliOptions
{
    /// <summary>An option of one value, read by <paramref name="parse"/>, which gives null for a value it refuses.</summary>
    public static Option<T> Parsed<T>(string name, string helpName, string description, Func<string, T> parse, string expectation, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            var value = parse(text);
            if (value is null) result.AddError($"{name} {expectation}, got '{text}'");
            return value;
        },
    };

    /// <summary>An option that may be given again and again, each value read by <paramref name="parse"/> (null refuses it).</summary>
    public static Option<IReadOnlyList<T>> Repeated<T>(string name, string helpName, string description, Func<string, T?> parse, string expectation) where T : class => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            var values = new List<T>();
            foreach (var token in result.Tokens)
            {
                if (parse(token.Value) is { } value) values.Add(value);
                else result.AddError($"{name} {expectation}, got '{token.Value}'");
            }
            return values;
        },
    };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    public static Option<string?> Text(string name, string helpName, string description) => new(name) { Description = description, HelpName = helpName };

    public static Option<int?> Positive(string name, string description) => Parsed<int?>(name, "N", description,
        v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null, "must be a positive whole number");

    public static Option<long?> Whole(string name, string description) => Parsed<long?>(name, "N", description,
        v => long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null, "must be a whole number");

    /// <summary>A number the <paramref name="accept"/> test lets through.</summary>
    public static Option<double?> Number(string name, string helpName, string description, Func<double, bool> accept, string expectation) => Parsed<double?>(name, helpName, description,
        v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && double.IsFinite(r) && accept(r) ? r : null, expectation);

    public static Option<double?> Rate(string name, string description) => Number(name, "R", description, r => r > 0, "must be a positive number of requests per second");

    public static Option<TimeSpan?> Duration(string name, string description, params string[] aliases) =>
        Parsed(name, "D", description, Durations.Parse, $"must be a duration such as {Durations.Examples}", aliases);

    public static Option<IReadOnlyList<int>?> Sizes(string description) =>
        Parsed("--size", "N[,N...]", description, BatchSizes.Parse, $"must be between 1 and {BatchSpec.MaxSize} (or a comma-separated list)");

    public static Option<string?> Host() => Text("--host", "HOST", "host of the AppHost's services (default localhost)");

    public static Option<string?> Chains() => Text("--chains", "FILE",
        "where every service is, as JSON, instead of --host: {\"rest\", \"restH2c\", \"grpc\": edge addresses, \"stats\": {service: address}} (scripts/multihost.sh writes one)");

    public static Option<string?> Out() => Text("--out", "DIR", "where results/<timestamp>/ goes (default ./results)");

    public static Option<StreamMode?> StreamMode() => Parsed<StreamMode?>("--stream-mode", "shared|per-request",
        "gRPC: how the chain uses its bidi hops: shared | per-request (default: the services' own)",
        v => StreamModes.TryParse(v, out var mode) ? mode : null, $"must be {StreamModes.Choices}");

    public static Option<RestHttpVersion?> HttpVersion() => Parsed<RestHttpVersion?>("--http", "1.1|2",
        $"REST: 1.1 | 2 (default 1.1); 2 is HTTP/2 with prior knowledge on one connection, to a service's h2c port (REST port + 100, " +
        $"e.g. http://127.0.0.1:{ChainPorts.AggregatorRestH2c}/aggregate)",
        v => RestHttpVersions.TryParse(v, out var version) ? version : null, $"must be {RestHttpVersions.Http11Value} or {RestHttpVersions.Http2Value}");

    public static Option<RestEncoding?> Encoding() => Parsed<RestEncoding?>("--encoding", "json|protobuf",
        "REST: json | protobuf (default json): the body asked for (Accept), passed on by every hop",
        v => RestEncodings.TryParse(v, out var encoding) ? encoding : null, $"must be {RestEncodings.JsonValue} or {RestEncodings.ProtobufValue}");

    public static Option<string?> Name() => Text("--name", "NAME", "a name for the run, stored in its report (as ghz's)");

    /// <summary>ghz's JSON object, or key=value given again and again: both read into one set of tags.</summary>
    public static Option<IReadOnlyList<Dictionary<string, string>>> Tags() => Repeated("--tags", "KEY=VALUE",
        "tags stored in the report: key=value, repeated for more (--tags env=ci --tags commit=abc), or ghz's JSON object ('{\"env\":\"ci\"}')",
        TagsOf, "must be key=value (repeat it for more) or a JSON object of strings such as {\"env\":\"ci\"}");

    public static Option<string?> Baseline(string what) => new("--baseline")
    {
        Description = $"an earlier report to set this one against ({what}): baseline, current, change and its significance per metric", HelpName = "report.json",
    };

    public static Option<IReadOnlyList<Threshold>> FailIf() => Repeated("--fail-if", "EXPR",
        $"with --baseline: exit {ExitCodes.ThresholdBreached} when a change goes past this, such as \"p99>+10%\" or \"rps<-5%\" (repeatable; " +
        "metrics rps, p50, p90, p99, cpu); a change counts only if significant (Mann-Whitney U on per-second samples, p < 0.05), " +
        "or if the baseline has no samples to say",
        Threshold.Parse, $"must be {Threshold.Form}");

    private static Dictionary<string, string>? TagsOf(string text)
    {
        if (text.StartsWith('{'))
        {
            try
            {
                return JsonSerializer.Deserialize<Dictionary<string, string>>(text, CliJsonContext.Default.DictionaryStringString);
            }
            catch (JsonException)
            {
                return null;
            }
        }
        var equals = text.IndexOf('=');
        return equals > 0 ? new Dictionary<string, string> { [text[..equals]] = text[(equals + 1)..] } : null;
    }

    /// <summary>The tags given, in one set; null when none were.</summary>
    public static IReadOnlyDictionary<string, string>? Merged(IReadOnlyList<Dictionary<string, string>> tags) =>
        tags.Count == 0 ? null : tags.SelectMany(t => t).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last().Value);
}
