namespace Aggregator;

/// <summary>The aggregator's work: count, sum, mean, min and max of a batch's values, added in the batch's order.</summary>
public struct Aggregation()
{
    public int Count { get; private set; }
    public double Sum { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public readonly double Mean => Count == 0 ? 0 : Sum / Count;

    public void Add(double value)
    {
        Count++;
        Sum += value;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }
}
