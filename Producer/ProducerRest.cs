using Protos;
using ServiceDefaults;
using ServiceDefaults.Rest;

namespace Producer;

/// <summary>GET /generate?seed=&amp;size=, answered in the encoding the request asks for.</summary>
public static class ProducerRest
{
    public static async Task<IResult> HandleAsync(string? seed, string? size, InjectedDelay delay, HttpContext http)
    {
        if (!BatchSpec.TryParse(seed, size, out var spec, out var error)) return RestProblems.InvalidRequest(error);
        await delay.WaitAsync(RequestBudget.Of(http).Cancelled);
        var batch = RestBatch.Create(RestEncodings.Of(http.Request), spec.Size);
        foreach (var r in new BatchGenerator(spec)) batch.Add(r.Id, r.Value, r.Category);
        return batch;
    }
}
