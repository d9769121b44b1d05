using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ServiceDefaults;

/// <summary>
/// The no-op endpoints every service has: one hop that does nothing, on the same Kestrel, transport and connection
/// shape as the chain. A comparison measures them too, so each chain is read against what one hop could do at most.
/// They are counted apart from the chain's requests (<see cref="ChainMetrics.Noops"/>), and reconciled like them.
/// </summary>
public static class Ceiling
{
    public const string RestPath = "/noop";

    /// <summary>Maps the no-op beside the role's own endpoints, on the transport the role serves: <c>GET /noop</c> or <see cref="CeilingGrpc"/>.</summary>
    public static void MapCeiling(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ChainOptions>().Transport is ChainTransport.Rest) app.MapGet(RestPath, NoopRest);
        else app.MapGrpcService<CeilingGrpc>();
    }

    private static IResult NoopRest()
    {
        ChainMetrics.Noops.ServeAtOnce();
        return Results.Ok();
    }
}
