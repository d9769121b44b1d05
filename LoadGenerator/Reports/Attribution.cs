using System.Globalization;

namespace LoadGenerator.Reports;

/// <summary>
/// Why one chain is cheaper than the other: the walk from REST (JSON over HTTP/1.1) to gRPC over shared streams, one
/// factor at a time (HTTP version, encoding, gRPC's framing, shared streams), each step the difference between two rows of
/// the same run and batch size, in chain CPU-ms and bytes on the wire per request.
/// </summary>
public sealed record Attribution(int Size, ComparisonRow Start, IReadOnlyList<AttributionStep> Steps, IReadOnlyList<AttributionStep> OtherOrder)
{
    /// <summary>The factors in the order the walk changes them; each names the row it arrives at.</summary>
    private static readonly (string Factor, Scenario To)[] Walk =
    [
        ("HTTP/1.1 → HTTP/2", Scenario.RestJsonH2),
        ("JSON → protobuf", Scenario.RestProtobufH2),
        ("REST → gRPC, a stream per request", Scenario.GrpcPerRequest),
        ("a stream per request → shared streams", Scenario.GrpcShared),
    ];

    /// <summary>The first two factors the other way round: the encoding on HTTP/1.1 first, then the HTTP version.</summary>
    private static readonly (string Factor, Scenario To)[] EncodingFirst =
    [
        ("JSON → protobuf, on HTTP/1.1", Scenario.RestProtobuf),
        ("HTTP/1.1 → HTTP/2, with protobuf", Scenario.RestProtobufH2),
    ];

    public ComparisonRow End => Steps[^1].To;

    public double CpuMsDifference => End.ChainCpuMsPerRequest - Start.ChainCpuMsPerRequest;

    public double? BytesDifference => End.ChainBytesPerRequest - Start.ChainBytesPerRequest;

    /// <summary>One walk per batch size whose rows are all in the report (a run of one scenario has none).</summary>
    public static IReadOnlyList<Attribution> Of(ComparisonReport report) =>
        report.Rows.Where(row => !row.Run.Scenario.IsCeiling).Select(row => row.Run.Settings.Size).Distinct()
            .Select(size => Of(report, size)).OfType<Attribution>().ToList();

    private static Attribution? Of(ComparisonReport report, int size)
    {
        ComparisonRow? Find(Scenario scenario) =>
            report.Rows.FirstOrDefault(row => row.Run.Scenario == scenario && row.Run.Settings.Size == size);
        if (Find(Scenario.Rest) is not { } start) return null;
        var steps = Walked(start, Walk, Find);
        return steps is null ? null : new Attribution(size, start, steps, Walked(start, EncodingFirst, Find) ?? []);
    }

    private static IReadOnlyList<AttributionStep>? Walked(ComparisonRow start, (string Factor, Scenario To)[] walk, Func<Scenario, ComparisonRow?> find)
    {
        var steps = new List<AttributionStep>();
        var from = start;
        foreach (var (factor, scenario) in walk)
        {
            if (find(scenario) is not { } to) return null;
            steps.Add(new AttributionStep(factor, from, to));
            from = to;
        }
        return steps;
    }

    /// <summary>A step's share of the whole walk's difference; a step against the trend has a negative share.</summary>
    public static string Share(double step, double? total) =>
        total is { } t && Math.Abs(t) > 1e-12 ? (100 * step / t).ToString("N0", CultureInfo.InvariantCulture) + "%" : "–";
}

/// <summary>One factor changed: from one row to the next, everything else the same.</summary>
public sealed record AttributionStep(string Factor, ComparisonRow From, ComparisonRow To)
{
    public double CpuMs => To.ChainCpuMsPerRequest - From.ChainCpuMsPerRequest;

    public double? Bytes => To.ChainBytesPerRequest - From.ChainBytesPerRequest;
}
