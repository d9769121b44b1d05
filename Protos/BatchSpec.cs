using System.Globalization;
using Grpc.Core;

namespace Protos;

/// <summary>What one request asks for, on either transport: the seed of a batch and how many records it holds.</summary>
public readonly record struct BatchSpec(long Seed, int Size)
{
    public const long DefaultSeed = 42;
    public const int DefaultSize = 10;

    /// <summary>Largest batch a request may ask for; 100,000 records stay under gRPC's 4 MB message limit.</summary>
    public const int MaxSize = 100_000;

    public static BatchSpec Default => new(DefaultSeed, DefaultSize);

    /// <summary>Reads a REST query; a missing value takes its default, a malformed one is an error naming the field.</summary>
    public static bool TryParse(string? seed, string? size, out BatchSpec spec, out string error)
    {
        spec = Default;
        long seedValue = DefaultSeed;
        int sizeValue = DefaultSize;
        if (seed is not null && !long.TryParse(seed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seedValue))
        {
            error = $"seed must be a whole number between {long.MinValue} and {long.MaxValue}, got '{Truncate(seed)}'";
            return false;
        }
        if (size is not null && !int.TryParse(size, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out sizeValue))
        {
            error = $"size must be a whole number between 1 and {MaxSize}, got '{Truncate(size)}'";
            return false;
        }
        return TryCreate(seedValue, sizeValue, out spec, out error);
    }

    /// <summary>Checks values already typed (a protobuf request); null means unset.</summary>
    public static bool TryCreate(long? seed, int? size, out BatchSpec spec, out string error)
    {
        var sizeValue = size ?? DefaultSize;
        if (sizeValue is < 1 or > MaxSize)
        {
            spec = Default;
            error = $"size must be between 1 and {MaxSize}, got {sizeValue}";
            return false;
        }
        spec = new BatchSpec(seed ?? DefaultSeed, sizeValue);
        error = "";
        return true;
    }

    /// <summary>Reads a protobuf request; a bad one fails its call with <c>InvalidArgument</c> naming the field.</summary>
    public static BatchSpec From(ISpecRequest request) =>
        TryCreate(request.HasSeed ? request.Seed : null, request.HasSize ? request.Size : null, out var spec, out var error)
            ? spec
            : throw new RpcException(new Status(StatusCode.InvalidArgument, error));

    public string ToQuery() => $"seed={Seed.ToString(CultureInfo.InvariantCulture)}&size={Size.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Bad input as an error message quotes it: echoing a megabyte of garbage back helps nobody.</summary>
    public static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
