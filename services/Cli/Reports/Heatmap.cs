using Pipeline.Media.Images;

namespace Pipeline.Cli.Reports;

/// <summary>Renders a [frames, rows] matrix as a PNG heatmap: time left to right, row 0 at the bottom.</summary>
public static class Heatmap
{
    /// <param name="values">Row-major [frames, rows].</param>
    /// <param name="maxWidth">Long inputs are averaged down to this many columns so the picture stays small.</param>
    public static (byte[] Png, int Width, int Height) Render(ReadOnlySpan<float> values, int frames, int rows, int rowHeight, int maxWidth, float? min = null, float? max = null)
    {
        var width = Math.Max(1, Math.Min(frames, maxWidth));
        var height = Math.Max(1, rows * rowHeight);
        var (lo, hi) = (min ?? Percentile(values, 0.02f), max ?? Percentile(values, 0.995f));
        var span = hi > lo ? hi - lo : 1f;
        var column = new float[rows];
        var rgb = new byte[width * height * 3];
        for (var x = 0; x < width; x++)
        {
            var from = (int)((long)x * frames / width);
            var to = Math.Max(from + 1, (int)((long)(x + 1) * frames / width));
            Array.Clear(column);
            for (var f = from; f < to && f < frames; f++)
            {
                for (var r = 0; r < rows; r++)
                {
                    var v = values[(f * rows) + r];
                    column[r] += float.IsFinite(v) ? v : lo;
                }
            }

            for (var r = 0; r < rows; r++)
            {
                var (cr, cg, cb) = Colormap.Viridis((column[r] / (to - from) - lo) / span);
                for (var dy = 0; dy < rowHeight; dy++)
                {
                    var y = height - 1 - ((r * rowHeight) + dy);
                    var i = ((y * width) + x) * 3;
                    rgb[i] = cr;
                    rgb[i + 1] = cg;
                    rgb[i + 2] = cb;
                }
            }
        }

        return (PngWriter.EncodeRgb24(rgb, width, height), width, height);
    }

    private static float Percentile(ReadOnlySpan<float> values, float q)
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        // A strided sample is plenty for colour limits and keeps this linear in the input size.
        var step = Math.Max(1, values.Length / 20_000);
        var sample = new List<float>(values.Length / step + 1);
        for (var i = 0; i < values.Length; i += step)
        {
            if (float.IsFinite(values[i]))
            {
                sample.Add(values[i]);
            }
        }

        if (sample.Count == 0)
        {
            return 0;
        }

        sample.Sort();
        return sample[(int)Math.Clamp(q * (sample.Count - 1), 0, sample.Count - 1)];
    }
}
