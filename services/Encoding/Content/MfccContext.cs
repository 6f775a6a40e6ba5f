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
        if (mfcc.Length % columns != 0)
        {
            throw new ArgumentException($"{mfcc.Length} values is not a whole number of {columns}-column rows", nameof(mfcc));
        }

        var frames = mfcc.Length / columns;
        var rows = new float[frames][];
        for (var f = 0; f < frames; f++)
        {
            rows[f] = mfcc.Slice(f * columns, columns).ToArray();
        }

        var next = 0;
        return Write(path, columns, frames, row => rows[next++].CopyTo(row), columnsPerFrame, radius);
    }

    /// <summary>Streams the context array from an MFCC .npy ([frames, columns] float32) without loading it.</summary>
    public static int Write(string path, NpyReader mfcc, int columnsPerFrame = -1, int radius = DefaultRadius)
    {
        ArgumentNullException.ThrowIfNull(mfcc);
        var columns = checked((int)mfcc.Info.RowElements);
        var frames = checked((int)mfcc.Info.Rows);
        return Write(path, columns, frames, row =>
        {
            if (!mfcc.ReadRow<float>(row))
            {
                throw new NpyFormatException($"the MFCC array ended before its {frames} rows");
            }
        }, columnsPerFrame, radius);
    }

    // Rows arrive in order; a ring of 2k+1 rows holds the window, refilled as the output advances.
    private static int Write(string path, int columns, int frames, Action<float[]> readNext, int columnsPerFrame, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        var keep = columnsPerFrame < 0 ? columns : columnsPerFrame;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keep, columns);
        var width = ((2 * radius) + 1) * keep;
        var span = (2 * radius) + 1;
        var ring = new float[span][];
        for (var i = 0; i < span; i++)
        {
            ring[i] = new float[columns];
        }

        var loaded = 0; // rows read so far; row r lives in ring[r % span]
        var output = new float[width];
        using var writer = NpyWriter.Create(path, NpyDType.Float32, width);
        for (var f = 0; f < frames; f++)
        {
            var need = Math.Min(frames - 1, f + radius);
            while (loaded <= need)
            {
                readNext(ring[loaded % span]);
                loaded++;
            }

            for (var o = -radius; o <= radius; o++)
            {
                var src = Math.Clamp(f + o, 0, frames - 1);
                ring[src % span].AsSpan(0, keep).CopyTo(output.AsSpan((o + radius) * keep, keep));
            }

            writer.Write(output);
        }

        return width;
    }
}
