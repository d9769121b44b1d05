using System.Globalization;
using LoadGenerator.Runs;
using ServiceDefaults;

namespace LoadGenerator.Reports;

/// <summary>
/// A telemetry sweep on disk: each mode's comparison as a report of its own (<c>MODE/report.md</c>, .json, .html), and
/// <c>telemetry.md</c> with the price of each mode, row by row.
/// </summary>
public static class TelemetryWriter
{
    public const string Explanation =
        "Each row was measured once per telemetry mode, one right after another on the same processes: `off` records nothing " +
        "(the OpenTelemetry SDK stays installed, its sampler drops every trace and no metric instrument is enabled), `metrics` " +
        "records metrics and no traces, `sampled` adds the lab's default tracing, `full` traces every request. " +
        "CPU-ms/req is the chain's three services (a ceiling's edge alone) ÷ the requests that succeeded; '÷ off' sets a mode against " +
        "nothing recorded, in the same row. The load generator records none of its own in any mode.";

    public static async Task<string> WriteAsync(IReadOnlyList<ComparisonReport> byMode, string directory, CancellationToken ct)
    {
        foreach (var report in byMode)
        {
            await ReportWriter.WriteAsync(report, Path.Combine(directory, ModeOf(report).Name()), report.Cancelled ? CancellationToken.None : ct);
        }
        var price = Price(byMode);
        var first = byMode[0];
        await File.WriteAllTextAsync(Path.Combine(directory, "telemetry.md"), $"""
            # The price of telemetry, per transport

            Started {ReportWriter.StartedAt(first.StartedAt)} · {ReportWriter.MachineLine(first.Machine)}

            {(first.Cancelled ? ReportWriter.CancelledLine(first) + "\n\n" : "")}{Explanation}

            {price}
            Each mode's whole report: {string.Join(", ", byMode.Select(r => $"[{ModeOf(r).Name()}]({ModeOf(r).Name()}/report.md)"))}.

            """, ct);
        return price;
    }

    /// <summary>Per row, CPU per request and throughput under each mode, and each mode's CPU against <c>off</c>'s (or the first mode's, without off).</summary>
    public static string Price(IReadOnlyList<ComparisonReport> byMode)
    {
        var baseline = byMode.FirstOrDefault(r => ModeOf(r) == TelemetryMode.Off) ?? byMode[0];
        var others = byMode.Where(r => r != baseline).ToList();
        var modes = byMode.Select(r => ModeOf(r).Name()).ToList();
        var names = baseline.Rows.Select(r => r.Run.Name).ToList();
        ReportWriter.Column[] columns =
        [
            new("run", false),
            .. modes.Select(m => new ReportWriter.Column($"{m} CPU-ms/req", true)),
            .. others.Select(r => new ReportWriter.Column($"{ModeOf(r).Name()} ÷ {ModeOf(baseline).Name()}", true)),
            .. modes.Select(m => new ReportWriter.Column($"{m} req/s", true)),
        ];
        var rows = names.Select(name =>
        {
            ComparisonRow? Row(ComparisonReport report) => report.Rows.FirstOrDefault(r => r.Run.Name == name);
            var baseCpu = Row(baseline)?.ChainCpuMsPerRequest;
            return (string[])
            [
                name,
                .. byMode.Select(r => Row(r) is { } row ? ReportWriter.CpuMs(row.ChainCpuMsPerRequest) : "–"),
                .. others.Select(r => Row(r) is { } row && baseCpu is > 0
                    ? ReportWriter.Times(row.ChainCpuMsPerRequest / baseCpu.Value)
                    : "–"),
                .. byMode.Select(r => Row(r) is { } row ? ReportWriter.Throughput(row.Run.RequestsPerSecond) : "–"),
            ];
        }).ToList();
        return ReportWriter.Markdown((columns, rows));
    }

    private static TelemetryMode ModeOf(ComparisonReport report) =>
        TelemetrySweep.ModeOf(report) ?? throw new InvalidDataException($"the report of {report.StartedAt} is not tagged with a telemetry mode");
}
