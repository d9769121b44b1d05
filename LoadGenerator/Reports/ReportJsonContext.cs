using System.Text.Json.Serialization;
using LoadGenerator.Runs;

namespace LoadGenerator.Reports;

// Named floating-point literals: a run with no successes has NaN latencies, and the report must still be written.
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(JsonStringEnumConverter<TargetKind>)])]
[JsonSerializable(typeof(ComparisonReport))]
[JsonSerializable(typeof(SoakReport))]
[JsonSerializable(typeof(SweepReport))]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
