namespace Pipeline.Rendering;

/// <summary>
/// Lays the warped region over the original frame with a soft edge, so no box or seam shows: the coverage mask is
/// box-blurred twice (a tent of radius 2r), and each pixel becomes original + α·(warped − original). Where the warp
/// wrote nothing, warped equals the original, so the blur's spill outside the region changes nothing.
/// </summary>
public sealed class FeatheredBlend
{
    private const int Channels = 3;

    private readonly int _width;
    private readonly int _height;
    private float[] _alpha = [];
    private float[] _scratch = [];
    private float[] _sums = [];

    public FeatheredBlend(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        (_width, _height) = (width, height);
    }

    /// <param name="original">The untouched frame (rgb24).</param>
    /// <param name="warped">The frame with the warped region written in (rgb24); blended in place.</param>
    /// <param name="coverage">255 where the warp wrote, 0 elsewhere (one byte per pixel).</param>
    /// <param name="radius">Half-width of each box pass, in pixels; 0 keeps the hard edge.</param>
    /// <remarks>Only the covered region's bounding box, grown by the blur's reach, is filtered and blended: a face is a
    /// small part of a 1080p frame, and the buffers are kept from frame to frame.</remarks>
    public void Apply(ReadOnlySpan<byte> original, Span<byte> warped, ReadOnlySpan<byte> coverage, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        var (width, height) = (_width, _height);
        var pixels = width * height;
        if (original.Length < pixels * Channels || warped.Length < pixels * Channels || coverage.Length < pixels)
        {
            throw new ArgumentException($"a {width}x{height} frame needs {pixels * Channels} rgb24 bytes and {pixels} coverage bytes");
        }

        if (!TryBounds(coverage, out var left, out var top, out var right, out var bottom))
        {
            return; // the warp wrote nothing
        }

        var reach = 2 * radius;
        (left, top) = (Math.Max(0, left - reach), Math.Max(0, top - reach));
        (right, bottom) = (Math.Min(width - 1, right + reach), Math.Min(height - 1, bottom + reach));
        var (w, h) = (right - left + 1, bottom - top + 1);
        if (_alpha.Length < w * h)
        {
            _alpha = new float[w * h];
            _scratch = new float[w * h];
        }

        if (_sums.Length < w)
        {
            _sums = new float[w];
        }

        for (var y = 0; y < h; y++)
        {
            var source = coverage.Slice(((top + y) * width) + left, w);
            var row = _alpha.AsSpan(y * w, w);
            for (var x = 0; x < w; x++)
            {
                row[x] = source[x] * (1f / 255f);
            }
        }

        for (var pass = 0; pass < 2 && radius > 0; pass++)
        {
            BoxRows(_alpha, _scratch, w, h, radius);
            BoxColumns(_scratch, _alpha, _sums, w, h, radius);
        }

        for (var y = 0; y < h; y++)
        {
            var alpha = _alpha.AsSpan(y * w, w);
            var offset = (((top + y) * width) + left) * Channels;
            var before = original.Slice(offset, w * Channels);
            var after = warped.Slice(offset, w * Channels);
            for (var x = 0; x < w; x++)
            {
                var a = alpha[x];
                if (a >= 1f)
                {
                    continue;
                }

                for (var c = x * Channels; c < (x + 1) * Channels; c++)
                {
                    after[c] = (byte)MathF.Round(before[c] + (a * (after[c] - before[c])), MidpointRounding.AwayFromZero);
                }
            }
        }
    }

    private bool TryBounds(ReadOnlySpan<byte> coverage, out int left, out int top, out int right, out int bottom)
    {
        (left, top, right, bottom) = (_width, -1, -1, -1);
        for (var y = 0; y < _height; y++)
        {
            var row = coverage.Slice(y * _width, _width);
            var first = row.IndexOfAnyExcept((byte)0);
            if (first < 0)
            {
                continue;
            }

            top = top < 0 ? y : top;
            bottom = y;
            left = Math.Min(left, first);
            right = Math.Max(right, row.LastIndexOfAnyExcept((byte)0));
        }

        return top >= 0;
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

    private static void BoxColumns(float[] input, float[] output, float[] sums, int width, int height, int radius)
    {
        var norm = 1f / ((2 * radius) + 1);
        Array.Clear(sums, 0, width);
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
