using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Protos.Control;

namespace ServiceDefaults;

/// <summary>Endpoints only the AppHost may call: it hands each process a token at start and sends it with its commands.</summary>
public static class ControlTokenExtensions
{
    /// <summary>Refuses, with 401 and <paramref name="refusal"/>, any call that does not carry <paramref name="token"/>.</summary>
    public static TBuilder RequireControlToken<TBuilder>(this TBuilder endpoints, string token, string refusal)
        where TBuilder : IEndpointConventionBuilder =>
        endpoints.AddEndpointFilter(async (context, next) => context.HttpContext.Request.CarriesControlToken(token)
            ? await next(context)
            : TypedResults.Problem(refusal, statusCode: StatusCodes.Status401Unauthorized));

    /// <summary>
    /// Whether the caller may read or switch something harmless: it is on this machine (loopback), or it carries
    /// <paramref name="token"/> (none configured, no caller carries it).
    /// </summary>
    public static bool IsLocalOrCarries(this HttpContext http, string? token) =>
        http.Connection.RemoteIpAddress is { } caller && IPAddress.IsLoopback(caller)
        || token is { Length: > 0 } && http.Request.CarriesControlToken(token);

    /// <summary>Whether the request carries <paramref name="token"/>, compared in constant time.</summary>
    public static bool CarriesControlToken(this HttpRequest request, string token) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers[ControlToken.Header].ToString()), Encoding.UTF8.GetBytes(token));
}
