using System.Security.Cryptography;
using Protos.Control;

namespace AppHost;

/// <summary>
/// One secret per AppHost run: the load generator's control API and the services' admin endpoints accept only calls
/// that carry it, and only the AppHost's commands (behind the dashboard's login) know it.
/// </summary>
public static class ControlTokenExtensions
{
    private static readonly string Token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    /// <summary>Hands the resource the token, in the environment variable it reads its control token from.</summary>
    public static IResourceBuilder<ProjectResource> WithControlToken(this IResourceBuilder<ProjectResource> resource, string variable) =>
        resource.WithEnvironment(variable, Token);

    /// <summary>The request, carrying the token.</summary>
    public static HttpRequestMessage WithControlToken(this HttpRequestMessage request)
    {
        request.Headers.Add(ControlToken.Header, Token);
        return request;
    }
}
