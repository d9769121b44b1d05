using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Protos;
using Protos.Json;

namespace ServiceDefaults.Hops;

/// <summary>The REST hop: one pooled keep-alive <see cref="HttpClient"/> to the downstream service, each call within its request's budget.</summary>
/// <param name="target">The downstream's name, which failures quote.</param>
public sealed class RestHop(HttpClient http, string target)
{
    /// <summary>Fetches a batch within the caller's <paramref name="budget"/>, and passes what is left of it on.</summary>
    public async Task<BatchJson> GetBatchAsync(string path, BatchSpec spec, RequestBudget budget)
    {
        var ct = budget.Cancelled;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?{spec.ToQuery()}");
            request.Headers.TryAddWithoutValidation(RequestBudget.Header, budget.LeftAsHeader());
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadAsStringAsync(ct);
                // A timeout further down is still a timeout; any other failure there is a bad gateway here.
                throw new HopFailedException(response.StatusCode == HttpStatusCode.GatewayTimeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway,
                    $"{target} answered {(int)response.StatusCode} {response.ReasonPhrase}: {detail[..Math.Min(detail.Length, 300)]}");
            }
            return await response.Content.ReadFromJsonAsync(ChainJsonContext.Default.BatchJson, ct)
                ?? throw new HopFailedException(StatusCodes.Status502BadGateway, $"{target} answered an empty body");
        }
        catch (OperationCanceledException e) when (budget.Expired)
        {
            throw new HopFailedException(StatusCodes.Status504GatewayTimeout, $"{target} did not answer within the request's {budget.Total.TotalMilliseconds:0} ms", e);
        }
        catch (HttpRequestException e)
        {
            throw new HopFailedException(StatusCodes.Status502BadGateway, $"{target} is unavailable: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new HopFailedException(StatusCodes.Status502BadGateway, $"{target} answered malformed JSON: {e.Message}", e);
        }
    }
}
