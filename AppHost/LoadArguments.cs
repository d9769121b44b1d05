using System.Globalization;
using Protos.Control;

namespace AppHost;

/// <summary>The load commands' dialog: its fields, what is wrong with them (shown beside them before a run starts), and the run they ask for.</summary>
public static class LoadArguments
{
    public static IReadOnlyList<InteractionInput> For(RunKind kind)
    {
        var defaults = new RunRequest(kind);
        return
        [
            new() { Name = "duration", Label = "Seconds measured per run", InputType = InputType.Number, Value = Text(defaults.DurationSeconds), Required = true },
            new() { Name = "concurrency", Label = "Concurrency (requests in flight)", InputType = InputType.Number, Value = Text(defaults.Concurrency), Required = true },
            new() { Name = "size", Label = "Records per batch (a comma list sweeps sizes)", InputType = InputType.Text, Value = defaults.Sizes, Required = true },
            new() { Name = "rate", Label = "Open loop: requests per second (empty: closed loop)", InputType = InputType.Number },
            new() { Name = "warmup", Label = "Warm-up seconds (not measured)", InputType = InputType.Number, Value = Text(defaults.WarmupSeconds) },
        ];
    }

    /// <summary>The command's argument check: Aspire has already checked that numbers are numbers, this checks the rest.</summary>
    public static Task ValidateAsync(InputsDialogValidationContext context, RunKind kind)
    {
        foreach (var problem in Problems(kind, context.Inputs)) context.AddValidationError(problem.Argument, problem.Message);
        return Task.CompletedTask;
    }

    /// <summary>What is wrong with the arguments, each under its argument's name; the same rules the control API applies.</summary>
    public static IReadOnlyList<RunProblem> Problems(RunKind kind, InteractionInputCollection arguments) =>
        Number(arguments, "concurrency") is { } concurrency && concurrency != Math.Floor(concurrency)
            ? [new("concurrency", $"concurrency must be a whole number, got {concurrency.ToString(CultureInfo.InvariantCulture)}")]
            : Request(kind, arguments).Problems();

    /// <summary>The arguments as a run request; an empty one takes the request's default.</summary>
    public static RunRequest Request(RunKind kind, InteractionInputCollection arguments)
    {
        var defaults = new RunRequest(kind);
        var sizes = arguments.ContainsName("size") ? arguments.GetString("size") : null;
        return defaults with
        {
            DurationSeconds = Number(arguments, "duration") ?? defaults.DurationSeconds,
            Concurrency = (int)(Number(arguments, "concurrency") ?? defaults.Concurrency),
            Sizes = string.IsNullOrWhiteSpace(sizes) ? defaults.Sizes : sizes,
            Rate = Number(arguments, "rate"),
            WarmupSeconds = Number(arguments, "warmup") ?? defaults.WarmupSeconds,
        };
    }

    private static double? Number(InteractionInputCollection arguments, string name)
    {
        var text = arguments.ContainsName(name) ? arguments.GetString(name) : null;
        return string.IsNullOrWhiteSpace(text) ? null : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
