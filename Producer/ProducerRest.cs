using Protos;
using Protos.Json;
using ServiceDefaults;

namespace Producer;

/// <summary>GET /generate?seed=&amp;size=</summary>
public static class ProducerRest
{
    public static async Task<IResult> HandleAsync(string? seed, string? size, InjectedDelay delay, HttpContext http)
    {
        if (!BatchSpec.TryParse(seed, size, out var spec, out var error)) return RestProblems.InvalidRequest(error);
        await delay.WaitAsync(RequestBudget.Of(http).Cancelled);
        var records = new RecordJson[spec.Size];
        var i = 0;
        foreach (var r in new BatchGenerator(spec))
        {
            records[i++] = new RecordJson { Id = r.Id, Value = r.Value, Category = r.Category };
        }
        return TypedResults.Ok(new BatchJson { Records = records });
    }
}
