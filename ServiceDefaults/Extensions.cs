using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every service of the chain shares: telemetry, health, service discovery, and a brisk shutdown.</summary>
public static class Extensions
{
    private const string HealthPath = "/health";
    private const string AlivePath = "/alive";
    /// <summary>The name OpenTelemetry's metrics listener goes by in the metrics rules.</summary>
    private const string OpenTelemetryListener = "OpenTelemetry";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        AddQuietDefaults(builder.Configuration);
        var telemetry = new TelemetrySwitch(TelemetryModes.From(builder.Configuration));
        builder.Services.AddSingleton(telemetry);
        builder.Services.AddSingleton<IOptionsChangeTokenSource<MetricsOptions>>(telemetry);
        builder.Services.AddSingleton<IPostConfigureOptions<MetricsOptions>>(telemetry);
        builder.ConfigureOpenTelemetry(telemetry);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddServiceDiscovery();
        // Discovery for every client, gRPC included.
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        // Long-lived bidi streams would otherwise hold a stopping service for the default 30 s.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>
    /// Defaults at the lowest precedence, so appsettings or the environment can change them. No log line per request:
    /// at thousands of requests a second it would cost more CPU than the work measured. A short OTLP timeout: with the
    /// dashboard gone, the exporter retries each batch until its timeout (10 s by default, per signal) and a stopping
    /// service would hang that long in disposal, past the orchestrator's patience.
    /// </summary>
    private static void AddQuietDefaults(IConfigurationManager configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
                ["Logging:LogLevel:Grpc"] = "Warning",
                ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "1000",
            },
        });

    private static void ConfigureOpenTelemetry<TBuilder>(this TBuilder builder, TelemetrySwitch telemetry) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // Metrics are enabled by rules, not the provider's AddMeter: the rules are what a telemetry mode switches at run time.
        foreach (var meter in (string[])["Microsoft.AspNetCore", "System.Net.Http", "System.Runtime", ChainMetrics.MeterName])
        {
            builder.Metrics.EnableMetrics(meter, listenerName: OpenTelemetryListener);
        }
        builder.Services.AddOpenTelemetry()
            .WithMetrics()
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(builder.Environment.ApplicationName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                    .AddGrpcClientInstrumentation()
                    .AddHttpClientInstrumentation();
                // The AppHost's choice, the same on every service; it overrides Aspire's always-on OTEL_TRACES_SAMPLER.
                var sampled = TraceSampling.From(builder.Configuration[TraceSampling.Key])?.Sampler ?? new ParentBasedSampler(new AlwaysOnSampler());
                tracing.SetSampler(telemetry.Sampler(sampled));
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
    }

    /// <summary>Health for the AppHost's probes, and the counts a load run reconciles against.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath);
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        var telemetry = app.Services.GetRequiredService<TelemetrySwitch>();
        TelemetrySwitch.Map(app, ChainOptions.From(app.Configuration).ControlToken);
        app.MapGet("/stats", () => TypedResults.Json(ChainMetrics.Snapshot(TelemetrySettings.Describe(app.Configuration, telemetry.Mode)), StatsJsonContext.Default.ServiceStats));
        return app;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthPath) || path.StartsWithSegments(AlivePath) || path.StartsWithSegments("/stats");
}

/// <summary>What this service's telemetry costs it, in words a report can compare across services.</summary>
internal static class TelemetrySettings
{
    public static string Describe(IConfiguration configuration, TelemetryMode mode)
    {
        var metrics = $"metrics every {configuration["OTEL_METRIC_EXPORT_INTERVAL"] ?? "60000"} ms";
        var recorded = mode switch
        {
            TelemetryMode.Full => $"every request traced, {metrics}",
            TelemetryMode.Sampled => $"{TraceSampling.From(configuration[TraceSampling.Key])?.Describe() ?? "traces sampled parent-based, always on"}, {metrics}",
            TelemetryMode.Metrics => $"no traces, {metrics}",
            _ => "no traces, no metrics",
        };
        var export = string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) ? "nothing exported" : "OTLP export";
        return $"telemetry {mode.Name()}: {recorded}; {export}, logs at Warning+ for per-request categories";
    }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServiceStats))]
public partial class StatsJsonContext : JsonSerializerContext;
