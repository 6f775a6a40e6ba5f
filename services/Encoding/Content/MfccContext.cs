using Pipeline.Features;

namespace Pipeline.Encoding.Content;

/// <summary>
/// MFCC context windows for person-specific models (the ridge regression of DESIGN.md §3 wants each frame to see its
/// neighbours): row i of mfcc_context.npy is the concatenation of MFCC rows i-k .. i+k (k = 2, so 5 rows), indices
/// clamped at the edges (the first frame repeats itself twice before). With 39 columns in (13 MFCC + Δ + ΔΔ) the
/// output has 5 × 39 = 195 columns; pass <c>columnsPerFrame = 13</c> to keep only the static MFCCs (65 columns).
/// Streams row by row: memory is 2k+1 rows whatever the length.
/// </summary>
public static class MfccContext
{
    public const int DefaultRadius = 2;
    public const string FileName = "mfcc_context.npy";

    /// <summary>Writes the context array for <paramref name="mfcc"/> ([frames, columns] row-major); returns its column count.</summary>
    public static int Write(string path, ReadOnlySpan<float> mfcc, int columns, int columnsPerFrame = -1, int radius = DefaultRadius)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        if (mfcc.Length % columns != 0)
        {
            throw new ArgumentException($"{mfcc.Length} values is not a whole number of {columns}-column rows", nameof(mfcc));
        }

        var keep = columnsPerFrame < 0 ? columns : columnsPerFrame;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keep, columns);
        var frames = mfcc.Length / columns;
        var width = ((2 * radius) + 1) * keep;
        var row = new float[width];
        using var writer = NpyWriter.Create(path, NpyDType.Float32, width);
        for (var f = 0; f < frames; f++)
        {
            for (var o = -radius; o <= radius; o++)
            {
                var src = Math.Clamp(f + o, 0, frames - 1);
                mfcc.Slice(src * columns, keep).CopyTo(row.AsSpan((o + radius) * keep, keep));
            }

            writer.Write(row);
        }

        return width;
    }
}
