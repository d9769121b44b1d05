namespace Protos.Control;

/// <summary>
/// The AppHost's per-run secret travels in this header: the load generator's control API and the services' admin
/// endpoints accept only calls that carry it.
/// </summary>
public static class ControlToken
{
    public const string Header = "X-Control-Token";
}
