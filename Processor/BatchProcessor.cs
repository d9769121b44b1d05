using Google.Protobuf.Collections;
using Protos;

namespace Processor;

/// <summary>The processor's work: every value becomes <c>value * 1.5 + 2</c> and the record is marked processed.</summary>
public static class BatchProcessor
{
    public static double Transform(double value) => value * 1.5 + 2;

    /// <summary>A REST batch, in whichever encoding it came (indexed: no enumerator to allocate behind the interface).</summary>
    public static void Process(IReadOnlyList<IChainRecord> records)
    {
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            r.Value = Transform(r.Value);
            r.Processed = true;
        }
    }

    public static void Process(RepeatedField<Record> records)
    {
        foreach (var r in records)
        {
            r.Value = Transform(r.Value);
            r.Processed = true;
        }
    }
}
