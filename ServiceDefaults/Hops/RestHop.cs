using System.Net;
using Microsoft.AspNetCore.Http;
using Protos;
using ServiceDefaults.Rest;

namespace ServiceDefaults.Hops;

/// <summary>
/// The REST hop: a pooled keep-alive HTTP/1.1 client and a multiplexed HTTP/2 (h2c) client to the downstream service,
/// each call within its request's budget. A request goes on as it came: over the HTTP version it arrived on, asking for
/// the encoding it was asked for, so a run's wire is the same on every hop.
/// </summary>
/// <param name="http1">HTTP/1.1 to the downstream's <c>http</c> endpoint.</param>
/// <param name="http2">HTTP/2 with prior knowledge to its <c>h2c</c> endpoint.</param>
/// <param name="target">The downstream's name, which failures quote.</param>
public sealed class RestHop(RestClient http1, RestClient http2, string target)
{
    /// <summary>Fetches a batch within the <paramref name="caller"/>'s budget, and passes what is left of it on.</summary>
    public async Task<RestBatch> GetBatchAsync(string path, BatchSpec spec, HttpContext caller)
    {
        var budget = RequestBudget.Of(caller);
        var encoding = RestEncodings.Of(caller.Request);
        var (http, addresses) = HttpProtocol.IsHttp2(caller.Request.Protocol) ? http2 : http1;
        var ct = budget.Cancelled;
        try
        {
            string address;
            try
            {
                address = await addresses.NextAsync(ct);
            }
            catch (InvalidOperationException e)
            {
                throw new HopFailedException(StatusCodes.Status502BadGateway, $"{target} has no address: {e.Message}", e);
            }
            // HttpClient's default version applies to the requests it makes itself; a message made here says its own.
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{address}{path}?{spec.ToQuery()}")
            {
                Version = http.DefaultRequestVersion,
                VersionPolicy = http.DefaultVersionPolicy,
            };
            request.Headers.TryAddWithoutValidation(RequestBudget.Header, budget.LeftAsHeader());
            encoding.Ask(request);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadAsStringAsync(ct);
                // A timeout further down is still a timeout; any other failure there is a bad gateway here.
                throw new HopFailedException(response.StatusCode == HttpStatusCode.GatewayTimeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway,
                    $"{target} answered {(int)response.StatusCode} {response.ReasonPhrase}: {detail[..Math.Min(detail.Length, 300)]}");
            }
            return await encoding.ReadBatchAsync(response.Content, ct);
        }
        catch (OperationCanceledException e) when (budget.Expired)
        {
            throw new HopFailedException(StatusCodes.Status504GatewayTimeout, $"{target} did not answer within the request's {budget.Total.TotalMilliseconds:0} ms", e);
        }
        catch (HttpRequestException e)
        {
            throw new HopFailedException(StatusCodes.Status502BadGateway, $"{target} is unavailable: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new HopFailedException(StatusCodes.Status502BadGateway, $"{target} answered {e.Message}", e);
        }
    }
}

/// <summary>One of a REST hop's clients, and where its requests go.</summary>
public sealed record RestClient(HttpClient Http, DiscoveredAddresses Addresses);
