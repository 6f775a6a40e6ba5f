namespace Pipeline.Rendering;

/// <summary>
/// Lays the warped region over the original frame with a soft edge, so no box or seam shows: the coverage mask is
/// box-blurred twice (a tent of radius 2r), and each pixel becomes original + α·(warped − original). Where the warp
/// wrote nothing, warped equals the original, so the blur's spill outside the region changes nothing.
/// </summary>
public static class FeatheredBlend
{
    private const int Channels = 3;

    /// <param name="original">The untouched frame (rgb24).</param>
    /// <param name="warped">The frame with the warped region written in (rgb24); blended in place.</param>
    /// <param name="coverage">255 where the warp wrote, 0 elsewhere (one byte per pixel).</param>
    /// <param name="radius">Half-width of each box pass, in pixels; 0 keeps the hard edge.</param>
    public static void Apply(ReadOnlySpan<byte> original, Span<byte> warped, ReadOnlySpan<byte> coverage, int width, int height, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        var pixels = width * height;
        if (original.Length < pixels * Channels || warped.Length < pixels * Channels || coverage.Length < pixels)
        {
            throw new ArgumentException($"a {width}x{height} frame needs {pixels * Channels} rgb24 bytes and {pixels} coverage bytes");
        }

        var alpha = new float[pixels];
        var scratch = new float[pixels];
        for (var p = 0; p < pixels; p++)
        {
            alpha[p] = coverage[p] / 255f;
        }

        for (var pass = 0; pass < 2 && radius > 0; pass++)
        {
            BoxRows(alpha, scratch, width, height, radius);
            BoxColumns(scratch, alpha, width, height, radius);
        }

        for (var p = 0; p < pixels; p++)
        {
            var a = alpha[p];
            if (a >= 1f)
            {
                continue;
            }

            for (var c = 0; c < Channels; c++)
            {
                var i = (p * Channels) + c;
                warped[i] = (byte)MathF.Round(original[i] + (a * (warped[i] - original[i])), MidpointRounding.AwayFromZero);
            }
        }
    }

    // Running-sum box filter along rows, edges treated as 0 (the mask is 0 off the frame).
    private static void BoxRows(float[] input, float[] output, int width, int height, int radius)
    {
        var norm = 1f / ((2 * radius) + 1);
        for (var y = 0; y < height; y++)
        {
            var row = input.AsSpan(y * width, width);
            var outRow = output.AsSpan(y * width, width);
            float sum = 0;
            for (var x = 0; x <= Math.Min(radius, width - 1); x++)
            {
                sum += row[x];
            }

            for (var x = 0; x < width; x++)
            {
                outRow[x] = sum * norm;
                var add = x + radius + 1;
                var drop = x - radius;
                if (add < width)
                {
                    sum += row[add];
                }

                if (drop >= 0)
                {
                    sum -= row[drop];
                }
            }
        }
    }

    private static void BoxColumns(float[] input, float[] output, int width, int height, int radius)
    {
        var norm = 1f / ((2 * radius) + 1);
        var sums = new float[width];
        for (var y = 0; y <= Math.Min(radius, height - 1); y++)
        {
            var row = input.AsSpan(y * width, width);
            for (var x = 0; x < width; x++)
            {
                sums[x] += row[x];
            }
        }

        for (var y = 0; y < height; y++)
        {
            var outRow = output.AsSpan(y * width, width);
            for (var x = 0; x < width; x++)
            {
                outRow[x] = sums[x] * norm;
            }

            var add = y + radius + 1;
            var drop = y - radius;
            if (add < height)
            {
                var row = input.AsSpan(add * width, width);
                for (var x = 0; x < width; x++)
                {
                    sums[x] += row[x];
                }
            }

            if (drop >= 0)
            {
                var row = input.AsSpan(drop * width, width);
                for (var x = 0; x < width; x++)
                {
                    sums[x] -= row[x];
                }
            }
        }
    }
}
