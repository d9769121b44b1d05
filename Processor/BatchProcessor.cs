using Google.Protobuf.Collections;
using Protos;
using Protos.Json;

namespace Processor;

/// <summary>The processor's work: every value becomes <c>value * 1.5 + 2</c> and the record is marked processed.</summary>
public static class BatchProcessor
{
    public static double Transform(double value) => value * 1.5 + 2;

    public static void Process(RecordJson[] records)
    {
        foreach (var r in records)
        {
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
