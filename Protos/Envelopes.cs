namespace Protos;

/// <summary>A batched stream's messages packed from, and unpacked to, the requests and answers they carry.</summary>
public static class Envelopes
{
    public static GenerateRequests Pack(IReadOnlyList<GenerateRequest> requests) => new() { Requests = { requests } };

    public static ProcessRequests Pack(IReadOnlyList<ProcessRequest> requests) => new() { Requests = { requests } };

    public static Batches Pack(IReadOnlyList<Batch> batches) => new() { Batches_ = { batches } };
}
