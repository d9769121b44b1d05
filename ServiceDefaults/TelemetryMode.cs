using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OpenTelemetry.Trace;

namespace ServiceDefaults;

/// <summary>
/// What a service records of itself, from least to most: <c>off</c> nothing, <c>metrics</c> metrics and no traces,
/// <c>sampled</c> metrics and the traces <see cref="TraceSampling"/> asks for (the lab's default), <c>full</c> metrics and
/// every request traced. Switched while the service runs, so one run can price each on the same processes.
/// </summary>
public enum TelemetryMode { Off, Metrics, Sampled, Full }

public static class TelemetryModes
{
    public const string Key = "Chain:Telemetry";

    /// <summary>The admin endpoint that reads (<c>GET</c>) and switches (<c>PUT ?mode=</c>) a running service's mode.</summary>
    public const string Path = "/admin/telemetry";

    public static string Name(this TelemetryMode mode) => mode.ToString().ToLowerInvariant();

    public static TelemetryMode? Parse(string? text) =>
        Enum.GetValues<TelemetryMode>().Where(m => m.Name() == text?.Trim().ToLowerInvariant()).Select(m => (TelemetryMode?)m).FirstOrDefault();

    public static string Choices => string.Join(", ", Enum.GetValues<TelemetryMode>().Select(Name));

    /// <summary>The mode at start: <c>Chain:Telemetry</c>, <c>sampled</c> when unset; anything else stops the service saying what is wanted.</summary>
    public static TelemetryMode From(IConfiguration configuration) => configuration[Key] is not { Length: > 0 } text
        ? TelemetryMode.Sampled
        : Parse(text) ?? throw new FormatException($"{Key} must be one of {Choices}, got '{text}'");
}

/// <summary>
/// The service's telemetry mode, switched at run time: traces through <see cref="Sampler"/>, metrics through the
/// metrics rules, which every listener (OpenTelemetry's included) re-reads when this says they changed.
/// </summary>
public sealed class TelemetrySwitch(TelemetryMode initial) : IOptionsChangeTokenSource<MetricsOptions>, IPostConfigureOptions<MetricsOptions>
{
    private CancellationTokenSource changed = new();
    private volatile TelemetryMode mode = initial;

    public TelemetryMode Mode => mode;

    public void Set(TelemetryMode value)
    {
        mode = value;
        var was = Interlocked.Exchange(ref changed, new CancellationTokenSource());
        was.Cancel();
        was.Dispose();
    }

    string IOptionsChangeTokenSource<MetricsOptions>.Name => Options.DefaultName;

    IChangeToken IOptionsChangeTokenSource<MetricsOptions>.GetChangeToken() => new CancellationChangeToken(changed.Token);

    /// <summary>No rule, no instrument: with metrics off, every instrument's measurements stop at the source.</summary>
    void IPostConfigureOptions<MetricsOptions>.PostConfigure(string? name, MetricsOptions options)
    {
        if (mode is TelemetryMode.Off) options.Rules.Clear();
    }

    /// <summary>Traces as the mode says; <paramref name="sampled"/> is what <c>sampled</c> means.</summary>
    public Sampler Sampler(Sampler sampled) => new ModeSampler(this, sampled);

    private sealed class ModeSampler(TelemetrySwitch telemetry, Sampler sampled) : OpenTelemetry.Trace.Sampler
    {
        private static readonly SamplingResult Recorded = new(SamplingDecision.RecordAndSample);
        private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);

        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) => telemetry.Mode switch
        {
            TelemetryMode.Full => Recorded,
            TelemetryMode.Sampled => sampled.ShouldSample(samplingParameters),
            _ => Dropped,
        };
    }

    /// <summary>
    /// <c>GET</c> and <c>PUT /admin/telemetry?mode=</c>: for callers on this machine (the load generator's telemetry
    /// sweep) or with the AppHost's control token. Switching telemetry changes no answer, only what is recorded.
    /// </summary>
    public static void Map(WebApplication app, string? token)
    {
        var telemetry = app.Services.GetRequiredService<TelemetrySwitch>();
        var admin = app.MapGroup(TelemetryModes.Path).AddEndpointFilter(async (context, next) =>
            context.HttpContext.IsLocalOrCarries(token)
                ? await next(context)
                : TypedResults.Problem("the telemetry mode is switched from this machine, or with the control token", statusCode: StatusCodes.Status403Forbidden));
        admin.MapGet("", () => TypedResults.Ok(new { mode = telemetry.Mode.Name() }));
        admin.MapPut("", (string? mode) =>
        {
            if (TelemetryModes.Parse(mode) is not { } value) return RestProblems.InvalidRequest($"mode must be one of {TelemetryModes.Choices}, got '{mode}'");
            telemetry.Set(value);
            return (IResult)TypedResults.Ok(new { mode = value.Name() });
        });
    }
}
