using Pipeline.Features;

namespace Pipeline.Cli.Reports;

/// <summary>
/// Averages per-frame arrays into at most <see cref="MaxColumns"/> time bins before plotting: a picture cannot show
/// more columns than it has pixels, and a three-hour clip must not be loaded whole to draw one. Reads .npy files row
/// by row, so memory is one row plus the bins.
/// </summary>
public static class PlotBins
{
    /// <summary>About two columns per plotted pixel.</summary>
    public const int MaxColumns = 2200;

    public static int Count(long frames) => (int)Math.Clamp(frames, 1, MaxColumns);

    /// <summary>Bin of frame <paramref name="frame"/> when <paramref name="frames"/> frames go into <paramref name="bins"/> bins.</summary>
    public static int Of(long frame, long frames, int bins) => (int)Math.Min(bins - 1, frame * bins / Math.Max(1, frames));

    /// <summary>Mean of each bin's rows of a [frames, columns] float32 .npy.</summary>
    public static float[] MeanRows(string npyPath, int bins)
    {
        using var reader = NpyReader.Open(npyPath);
        var frames = reader.Info.Rows;
        var columns = (int)reader.Info.RowElements;
        var sums = new double[bins * columns];
        var counts = new int[bins];
        var row = new float[columns];
        for (long f = 0; f < frames && reader.ReadRow<float>(row); f++)
        {
            var b = Of(f, frames, bins);
            counts[b]++;
            for (var c = 0; c < columns; c++)
            {
                sums[(b * columns) + c] += row[c];
            }
        }

        return Finish(sums, counts, columns);
    }

    /// <summary>Share of each bin's frames whose byte is non-zero (voice activity), as 0/1 by majority.</summary>
    public static byte[] Majority(string npyPath, int bins)
    {
        using var reader = NpyReader.Open(npyPath);
        var frames = reader.Info.Rows;
        var on = new int[bins];
        var counts = new int[bins];
        Span<byte> value = stackalloc byte[1];
        for (long f = 0; f < frames && reader.ReadRow(value); f++)
        {
            var b = Of(f, frames, bins);
            counts[b]++;
            on[b] += value[0] != 0 ? 1 : 0;
        }

        var result = new byte[bins];
        for (var b = 0; b < bins; b++)
        {
            result[b] = (byte)(counts[b] > 0 && on[b] * 2 >= counts[b] ? 1 : 0);
        }

        return result;
    }

    /// <summary>Mean per bin; with <paramref name="skipZeros"/> zeros (unvoiced F0) are left out, and an all-zero bin stays 0.</summary>
    public static float[] Mean(ReadOnlySpan<float> values, int bins, bool skipZeros = false)
    {
        var sums = new double[bins];
        var counts = new int[bins];
        for (var f = 0; f < values.Length; f++)
        {
            if (skipZeros && values[f] == 0)
            {
                continue;
            }

            var b = Of(f, values.Length, bins);
            sums[b] += values[f];
            counts[b]++;
        }

        return Finish(sums, counts, 1);
    }

    private static float[] Finish(double[] sums, int[] counts, int columns)
    {
        var result = new float[sums.Length];
        for (var b = 0; b < counts.Length; b++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(b * columns) + c] = counts[b] > 0 ? (float)(sums[(b * columns) + c] / counts[b]) : 0f;
            }
        }

        return result;
    }
}
