using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ServiceDefaults;

/// <summary>
/// A fault knob: a delay added to every request a service serves, to make a slow downstream on demand. Off by default;
/// set at start with <c>Chain:Delay</c>, or while running with <c>PUT /admin/delay?ms=</c> (the AppHost's "Slow down"
/// command). The delay is cancelled with its request, so a caller's deadline ends it.
/// </summary>
public sealed class InjectedDelay(ChainOptions options)
{
    public const string Path = "/admin/delay";
    public const int MaxMilliseconds = 60_000;

    private long ticks = options.Delay.Ticks;

    public TimeSpan Current => TimeSpan.FromTicks(Volatile.Read(ref ticks));

    public Task WaitAsync(CancellationToken ct) => Volatile.Read(ref ticks) == 0 ? Task.CompletedTask : Task.Delay(Current, ct);

    private void Set(TimeSpan delay) => Volatile.Write(ref ticks, delay.Ticks);

    /// <summary>
    /// <c>GET</c> and <c>PUT /admin/delay</c>, only for callers with the AppHost's control token (<c>Chain:ControlToken</c>);
    /// without a configured token the knob is configuration-only and the endpoint does not exist.
    /// </summary>
    public static void Map(WebApplication app)
    {
        var options = app.Services.GetRequiredService<ChainOptions>();
        if (string.IsNullOrEmpty(options.ControlToken)) return;
        var delay = app.Services.GetRequiredService<InjectedDelay>();
        var admin = app.MapGroup(Path).RequireControlToken(options.ControlToken, "the delay is set from the Aspire dashboard or CLI (the producer's \"Slow down\" command), which hold the control token");
        admin.MapGet("", () => TypedResults.Ok(new { ms = (long)delay.Current.TotalMilliseconds }));
        admin.MapPut("", (string? ms) =>
        {
            if (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > MaxMilliseconds)
            {
                return RestProblems.InvalidRequest($"ms must be a whole number of milliseconds from 0 to {MaxMilliseconds}, got '{ms}'");
            }
            delay.Set(TimeSpan.FromMilliseconds(value));
            return (IResult)TypedResults.Ok(new { ms = value });
        });
    }
}
