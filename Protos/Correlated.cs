namespace Protos;

/// <summary>A message on a bidi hop: many requests share one stream, so each answer names the request it answers.</summary>
public interface ICorrelated
{
    ulong CorrelationId { get; set; }
}

/// <summary>An answer on a bidi hop that can carry the failure of its one request without ending the stream.</summary>
public interface IFaultCarrier : ICorrelated
{
    Fault Fault { get; set; }
}

/// <summary>A request on a bidi hop: it carries the time its caller still waits, as a stream has no deadline per message.</summary>
public interface IHopRequest : ICorrelated
{
    uint TimeoutMs { get; set; }
}

public interface ISpecRequest : IHopRequest
{
    bool HasSeed { get; }
    long Seed { get; set; }
    bool HasSize { get; }
    int Size { get; set; }
}

public sealed partial class GenerateRequest : ISpecRequest { }
public sealed partial class ProcessRequest : ISpecRequest { }
public sealed partial class AggregateRequest : ISpecRequest { }
public sealed partial class Batch : IFaultCarrier { }
public sealed partial class AggregateResponse : IFaultCarrier { }
public sealed partial class Echo : IHopRequest, IFaultCarrier { }
