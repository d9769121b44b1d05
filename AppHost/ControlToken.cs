using System.Security.Cryptography;

namespace AppHost;

/// <summary>
/// One secret per AppHost run: the load generator's control API and the services' admin endpoints accept only calls
/// that carry it, and only the AppHost's commands (behind the dashboard's login) know it.
/// </summary>
public static class ControlToken
{
    public const string Header = "X-Control-Token";
    public static readonly string Value = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
}
