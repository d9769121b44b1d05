using System.IO.Pipelines;

namespace ServiceDefaults.Wire;

/// <summary>A Kestrel connection's transport, its bytes counted on the way through (see <see cref="WireCounting.UseWireCounting"/>).</summary>
internal sealed class CountingDuplexPipe(IDuplexPipe transport, WireTally tally) : IDuplexPipe
{
    public PipeReader Input { get; } = new CountingPipeReader(transport.Input, tally);
    public PipeWriter Output { get; } = new CountingPipeWriter(transport.Output, tally);
}
