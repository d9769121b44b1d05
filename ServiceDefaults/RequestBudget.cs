using System.Globalization;
using Microsoft.AspNetCore.Http;
using Protos;

namespace ServiceDefaults;

/// <summary>
/// The time a REST request may still take. It travels down the chain in the <c>Chain-Timeout-Ms</c> header (what
/// <c>grpc-timeout</c> is to gRPC), so no hop waits longer than its caller does, and when it runs out the work in hand
/// is cancelled instead of finishing for nobody.
/// </summary>
public sealed class RequestBudget
{
    public const string Header = "Chain-Timeout-Ms";

    private readonly CancellationTokenSource expiry;
    private readonly CancellationToken callerGone;

    private RequestBudget(TimeSpan total, CancellationToken callerGone)
    {
        Total = total;
        Deadline = DateTime.UtcNow + total;
        this.callerGone = callerGone;
        expiry = CancellationTokenSource.CreateLinkedTokenSource(callerGone);
        expiry.CancelAfter(total);
    }

    public TimeSpan Total { get; }

    public DateTime Deadline { get; }

    /// <summary>Cancelled when the time is up or the caller goes away.</summary>
    public CancellationToken Cancelled => expiry.Token;

    /// <summary>The time ran out while the caller still waited: a timeout to report, not a caller that left.</summary>
    public bool Expired => expiry.IsCancellationRequested && !callerGone.IsCancellationRequested;

    /// <summary>What is left, as the header carries it to the next hop.</summary>
    public string LeftAsHeader() =>
        Math.Max(1, (long)Math.Ceiling((Deadline - DateTime.UtcNow).TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The budget of the request being served (set by <see cref="ChainEndpoints.MapChainGet"/>).</summary>
    public static RequestBudget Of(HttpContext http) =>
        http.Features.Get<RequestBudget>() ?? throw new InvalidOperationException("only endpoints mapped with MapChainGet have a request budget");

    /// <summary>The caller's header, or <paramref name="fallback"/> if it gave none or more; a header that is not a positive whole number is refused.</summary>
    internal static bool TryStart(HttpContext http, TimeSpan fallback, out RequestBudget budget, out string error)
    {
        var total = fallback;
        error = "";
        if (http.Request.Headers.TryGetValue(Header, out var values))
        {
            if (values.Count != 1 || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms < 1)
            {
                budget = null!;
                error = $"{Header} must be one whole number of milliseconds above 0, got '{BatchSpec.Truncate(values.ToString())}'";
                return false;
            }
            if (ms < fallback.TotalMilliseconds) total = TimeSpan.FromMilliseconds(ms);
        }
        budget = new RequestBudget(total, http.RequestAborted);
        http.Response.RegisterForDispose(budget.expiry);
        http.Features.Set(budget);
        return true;
    }
}
