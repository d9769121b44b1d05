namespace Protos;

/// <summary>
/// A record in either shape a REST body carries it (protobuf's <see cref="Record"/>, JSON's <see cref="Json.RecordJson"/>):
/// a role's work is written once against it, and neither encoding pays for a copy into the other.
/// </summary>
public interface IChainRecord
{
    int Id { get; }
    double Value { get; set; }
    string Category { get; }
    bool Processed { get; set; }
}

public sealed partial class Record : IChainRecord { }
