using Aggregator;
using Google.Protobuf;
using Processor;
using Producer;
using Protos;
using Protos.Json;
using System.Text.Json;
using Record = Protos.Record;

namespace Benchmarks.Tests;

/// <summary>The three roles' work, on known data, and the two encodings that carry it.</summary>
public class WorkTests
{
    [Fact]
    public void Generation_is_reproducible_from_the_seed()
    {
        var first = Generate(new BatchSpec(7, 500));
        var again = Generate(new BatchSpec(7, 500));
        var other = Generate(new BatchSpec(8, 500));

        Assert.Equal(first, again);
        Assert.NotEqual(first.Select(r => r.Value), other.Select(r => r.Value));
        Assert.Equal(Enumerable.Range(1, 500), first.Select(r => r.Id));
        Assert.All(first, r => Assert.InRange(r.Value, 0, 99.999999999999));
        Assert.All(first, r => Assert.Contains(r.Category, BatchGenerator.Categories));
        // All three categories turn up, in roughly equal shares.
        Assert.All(first.GroupBy(r => r.Category), g => Assert.InRange(g.Count(), 120, 210));
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public void Any_64_bit_seed_makes_a_full_batch(long seed) =>
        Assert.Equal(BatchSpec.DefaultSize, Generate(new BatchSpec(seed, BatchSpec.DefaultSize)).Count);

    [Fact]
    public void Values_are_spread_over_the_whole_range()
    {
        var values = Generate(new BatchSpec(1, 10_000)).Select(r => r.Value).ToArray();
        Assert.InRange(values.Min(), 0, 0.1);
        Assert.InRange(values.Max(), 99.9, 100);
        Assert.InRange(values.Average(), 48, 52);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(10, 17)]
    [InlineData(-4, -4)]
    [InlineData(99.5, 151.25)]
    public void Processing_maps_value_times_one_and_a_half_plus_two(double value, double expected) =>
        Assert.Equal(expected, BatchProcessor.Transform(value));

    [Fact]
    public void Processing_marks_every_record_on_both_representations()
    {
        var json = new[] { new RecordJson { Id = 1, Value = 10 }, new RecordJson { Id = 2, Value = 0 } };
        var proto = new Batch { Records = { new Record { Id = 1, Value = 10 }, new Record { Id = 2, Value = 0 } } };

        BatchProcessor.Process(json);
        BatchProcessor.Process(proto.Records);

        Assert.Equal([17.0, 2.0], json.Select(r => r.Value));
        Assert.Equal([17.0, 2.0], proto.Records.Select(r => r.Value));
        Assert.All(json, r => Assert.True(r.Processed));
        Assert.All(proto.Records, r => Assert.True(r.Processed));
    }

    [Fact]
    public void Aggregation_is_right_on_known_data()
    {
        var aggregation = new Aggregation();
        foreach (var v in new[] { 4.0, -1.5, 10.0, 2.5 }) aggregation.Add(v);

        Assert.Equal(4, aggregation.Count);
        Assert.Equal(15.0, aggregation.Sum);
        Assert.Equal(3.75, aggregation.Mean);
        Assert.Equal(-1.5, aggregation.Min);
        Assert.Equal(10.0, aggregation.Max);
    }

    [Fact]
    public void Json_and_protobuf_carry_the_same_doubles_exactly()
    {
        double[] awkward = [0.1, 1.0 / 3, Math.PI * 1e-300, double.Epsilon, double.MaxValue, -7.25, 99.99999999999999, 5e-324, 123456789.12345679];
        var values = awkward.Concat(Generate(new BatchSpec(3, 2_000)).Select(r => BatchProcessor.Transform(r.Value))).ToArray();

        var json = new BatchJson { Records = values.Select((v, i) => new RecordJson { Id = i, Value = v }).ToArray() };
        var fromJson = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(json, ChainJsonContext.Default.BatchJson), ChainJsonContext.Default.BatchJson)!;

        var proto = new Batch { Records = { values.Select((v, i) => new Record { Id = i, Value = v }) } };
        var fromProto = Batch.Parser.ParseFrom(proto.ToByteArray());

        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), fromJson.Records.Select(r => BitConverter.DoubleToInt64Bits(r.Value)));
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), fromProto.Records.Select(r => BitConverter.DoubleToInt64Bits(r.Value)));
    }

    [Fact]
    public void Protobuf_drops_the_sign_of_zero_which_the_chain_never_produces()
    {
        // proto3 does not write a field equal to its default, and -0.0 == 0: it arrives as +0.0. JSON keeps "-0".
        var parsed = Record.Parser.ParseFrom(new Record { Value = -0.0 }.ToByteArray());
        Assert.Equal(0L, BitConverter.DoubleToInt64Bits(parsed.Value));
        // The chain's values are generated in [0, 100) and processed to at least 2, so no -0.0 ever crosses a hop.
        Assert.True(BatchProcessor.Transform(0.0) >= 2);
    }

    [Theory]
    [InlineData(null, null, 42, 10)]
    [InlineData("-5", "1", -5, 1)]
    [InlineData("9223372036854775807", "100000", long.MaxValue, 100_000)]
    public void A_good_query_reads_with_defaults(string? seed, string? size, long expectedSeed, int expectedSize)
    {
        Assert.True(BatchSpec.TryParse(seed, size, out var spec, out _));
        Assert.Equal(new BatchSpec(expectedSeed, expectedSize), spec);
    }

    [Theory]
    [InlineData("abc", null, "seed")]
    [InlineData("", null, "seed")]
    [InlineData("1.5", null, "seed")]
    [InlineData("99999999999999999999", null, "seed")]
    [InlineData(null, "0", "size")]
    [InlineData(null, "-3", "size")]
    [InlineData(null, "100001", "size")]
    [InlineData(null, "ten", "size")]
    public void A_bad_query_is_refused_naming_the_field(string? seed, string? size, string field)
    {
        Assert.False(BatchSpec.TryParse(seed, size, out _, out var error));
        Assert.StartsWith(field, error);
    }

    [Fact]
    public void An_empty_protobuf_request_is_the_default_batch() =>
        Assert.Equal(BatchSpec.Default, BatchSpec.From(new AggregateRequest()));

    internal static List<GeneratedRecord> Generate(BatchSpec spec)
    {
        var records = new List<GeneratedRecord>();
        foreach (var r in new BatchGenerator(spec)) records.Add(r);
        return records;
    }

    /// <summary>What the whole chain must answer for a spec, computed here with the roles' own work.</summary>
    internal static AggregateJson Expected(BatchSpec spec)
    {
        var aggregation = new Aggregation();
        foreach (var r in new BatchGenerator(spec)) aggregation.Add(BatchProcessor.Transform(r.Value));
        return new AggregateJson(aggregation.Count, aggregation.Sum, aggregation.Mean, aggregation.Min, aggregation.Max);
    }
}
