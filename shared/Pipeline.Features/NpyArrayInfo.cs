namespace Pipeline.Features;

/// <summary>What an npy header says: element type, C-order shape, and where the data starts.</summary>
public sealed record NpyArrayInfo(NpyDType DType, IReadOnlyList<long> Shape, long DataOffset)
{
    /// <summary>Rows along the first axis (1 for a 0-d array).</summary>
    public long Rows => Shape.Count == 0 ? 1 : Shape[0];

    /// <summary>Elements per row: the product of all but the first dimension.</summary>
    public long RowElements => Shape.Skip(1).Aggregate(1L, (a, b) => a * b);

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
