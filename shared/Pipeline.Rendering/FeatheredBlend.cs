using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    public void Apply(ReadOnlySpan<byte> original, Span<byte> warped, ReadOnlySpan<byte> coverage, int radius) =>
        Apply(original, warped, coverage, radius, 0, 0, _width - 1, _height - 1);

    /// <summary>
    /// The same, when the caller knows <paramref name="coverage"/> is 0 outside the box
    /// <paramref name="boxLeft"/>..<paramref name="boxRight"/> × <paramref name="boxTop"/>..<paramref name="boxBottom"/>
    /// (inclusive, clipped to the frame): only that box is searched for the covered region, not the whole frame.
    /// </summary>
    public void Apply(ReadOnlySpan<byte> original, Span<byte> warped, ReadOnlySpan<byte> coverage, int radius, int boxLeft, int boxTop, int boxRight, int boxBottom)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        var (width, height) = (_width, _height);
        var pixels = width * height;
        if (original.Length < pixels * Channels || warped.Length < pixels * Channels || coverage.Length < pixels)
        {
            throw new ArgumentException($"a {width}x{height} frame needs {pixels * Channels} rgb24 bytes and {pixels} coverage bytes");
        }

        (boxLeft, boxTop) = (Math.Max(0, boxLeft), Math.Max(0, boxTop));
        (boxRight, boxBottom) = (Math.Min(width - 1, boxRight), Math.Min(height - 1, boxBottom));
        if (boxLeft > boxRight || boxTop > boxBottom
            || !TryBounds(coverage, width, boxLeft, boxTop, boxRight, boxBottom, out var left, out var top, out var right, out var bottom))
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
            ToAlpha(coverage.Slice(((top + y) * width) + left, w), _alpha.AsSpan(y * w, w));
        }

        for (var pass = 0; pass < 2 && radius > 0; pass++)
        {
            BoxRows(_alpha, _scratch, w, h, radius);
            BoxColumns(_scratch, _alpha, _sums, w, h, radius);
        }

        for (var y = 0; y < h; y++)
        {
            var offset = (((top + y) * width) + left) * Channels;
            BlendRow(_alpha.AsSpan(y * w, w), original.Slice(offset, w * Channels), warped.Slice(offset, w * Channels));
        }
    }

    // An α this close to 1 (or 0) rounds every byte to the warped (or original) value: |δ·(after − before)| ≤ 255/1024
    // is under half a level even with the float rounding, so such pixels are settled without the arithmetic. Only the
    // feathered edge is left to compute, and that gives the same bytes as the formula everywhere.
    private const float Opaque = 1f - (1f / 1024);
    private const float Clear = 1f / 1024;

    private static void BlendRow(ReadOnlySpan<float> alpha, ReadOnlySpan<byte> before, Span<byte> after)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Whole vectors of settled pixels first: the inside of the region, and the blur's reach outside it.
            var n = Vector<float>.Count;
            for (; x + n <= alpha.Length; x += n)
            {
                var a = new Vector<float>(alpha.Slice(x, n));
                if (Vector.GreaterThanOrEqualAll(a, new Vector<float>(Opaque)))
                {
                    continue;
                }

                if (Vector.LessThanOrEqualAll(Vector.Abs(a), new Vector<float>(Clear)))
                {
                    before.Slice(x * Channels, n * Channels).CopyTo(after.Slice(x * Channels, n * Channels));
                    continue;
                }

                BlendPixels(alpha.Slice(x, n), before.Slice(x * Channels, n * Channels), after.Slice(x * Channels, n * Channels));
            }
        }

        BlendPixels(alpha[x..], before[(x * Channels)..], after[(x * Channels)..]);
    }

    private static void BlendPixels(ReadOnlySpan<float> alpha, ReadOnlySpan<byte> before, Span<byte> after)
    {
        for (var x = 0; x < alpha.Length; x++)
        {
            var a = alpha[x];
            var c = x * Channels;
            if (a >= Opaque)
            {
                continue;
            }

            if (MathF.Abs(a) <= Clear)
            {
                (after[c], after[c + 1], after[c + 2]) = (before[c], before[c + 1], before[c + 2]);
                continue;
            }

            after[c] = (byte)MathF.Round(before[c] + (a * (after[c] - before[c])), MidpointRounding.AwayFromZero);
            after[c + 1] = (byte)MathF.Round(before[c + 1] + (a * (after[c + 1] - before[c + 1])), MidpointRounding.AwayFromZero);
            after[c + 2] = (byte)MathF.Round(before[c + 2] + (a * (after[c + 2] - before[c + 2])), MidpointRounding.AwayFromZero);
        }
    }

    // Coverage bytes to α in [0, 1]: each lane is the scalar byte · (1/255) in float, so the values are the same.
    private static void ToAlpha(ReadOnlySpan<byte> coverage, Span<float> alpha)
    {
        const float Scale = 1f / 255f;
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (n, q) = (Vector<byte>.Count, Vector<float>.Count);
            for (; x + n <= alpha.Length; x += n)
            {
                Vector.Widen(new Vector<byte>(coverage.Slice(x, n)), out var low, out var high);
                Vector.Widen(low, out var i0, out var i1);
                Vector.Widen(high, out var i2, out var i3);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(i0)) * Scale).CopyTo(alpha.Slice(x, q));
                (Vector.ConvertToSingle(Vector.AsVectorInt32(i1)) * Scale).CopyTo(alpha.Slice(x + q, q));
                (Vector.ConvertToSingle(Vector.AsVectorInt32(i2)) * Scale).CopyTo(alpha.Slice(x + (2 * q), q));
                (Vector.ConvertToSingle(Vector.AsVectorInt32(i3)) * Scale).CopyTo(alpha.Slice(x + (3 * q), q));
            }
        }

        for (; x < alpha.Length; x++)
        {
            alpha[x] = coverage[x] * Scale;
        }
    }

    private static bool TryBounds(ReadOnlySpan<byte> coverage, int width, int boxLeft, int boxTop, int boxRight, int boxBottom, out int left, out int top, out int right, out int bottom)
    {
        (left, top, right, bottom) = (boxRight + 1, -1, -1, -1);
        for (var y = boxTop; y <= boxBottom; y++)
        {
            var row = coverage.Slice((y * width) + boxLeft, boxRight - boxLeft + 1);
            var first = row.IndexOfAnyExcept((byte)0);
            if (first < 0)
            {
                continue;
            }

            top = top < 0 ? y : top;
            bottom = y;
            left = Math.Min(left, boxLeft + first);
            right = Math.Max(right, boxLeft + row.LastIndexOfAnyExcept((byte)0));
        }

        return top >= 0;
    }

    // Running-sum box filter along rows, edges treated as 0 (the mask is 0 off the frame). Each row's sum is a chain of
    // dependent adds, so four rows run side by side to overlap their latencies; each keeps its own order of adds.
    private static void BoxRows(float[] input, float[] output, int width, int height, int radius)
    {
        var norm = 1f / ((2 * radius) + 1);
        var y = 0;
        for (; y + 4 <= height; y += 4)
        {
            BoxRows4(input.AsSpan(y * width, 4 * width), output.AsSpan(y * width, 4 * width), width, radius, norm);
        }

        for (; y < height; y++)
        {
            BoxRow(input.AsSpan(y * width, width), output.AsSpan(y * width, width), radius, norm);
        }
    }

    private static void BoxRow(ReadOnlySpan<float> row, Span<float> outRow, int radius, float norm)
    {
        var width = row.Length;
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

    // BoxRow on four consecutive rows at once (the spans hold 4 × width floats).
    private static void BoxRows4(ReadOnlySpan<float> rows, Span<float> outRows, int width, int radius, float norm)
    {
        ref var r0 = ref MemoryMarshal.GetReference(rows);
        ref var r1 = ref Unsafe.Add(ref r0, width);
        ref var r2 = ref Unsafe.Add(ref r1, width);
        ref var r3 = ref Unsafe.Add(ref r2, width);
        ref var o0 = ref MemoryMarshal.GetReference(outRows);
        ref var o1 = ref Unsafe.Add(ref o0, width);
        ref var o2 = ref Unsafe.Add(ref o1, width);
        ref var o3 = ref Unsafe.Add(ref o2, width);
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (var x = 0; x <= Math.Min(radius, width - 1); x++)
        {
            s0 += Unsafe.Add(ref r0, x);
            s1 += Unsafe.Add(ref r1, x);
            s2 += Unsafe.Add(ref r2, x);
            s3 += Unsafe.Add(ref r3, x);
        }

        for (var x = 0; x < width; x++)
        {
            Unsafe.Add(ref o0, x) = s0 * norm;
            Unsafe.Add(ref o1, x) = s1 * norm;
            Unsafe.Add(ref o2, x) = s2 * norm;
            Unsafe.Add(ref o3, x) = s3 * norm;
            var add = x + radius + 1;
            var drop = x - radius;
            if (add < width)
            {
                s0 += Unsafe.Add(ref r0, add);
                s1 += Unsafe.Add(ref r1, add);
                s2 += Unsafe.Add(ref r2, add);
                s3 += Unsafe.Add(ref r3, add);
            }

            if (drop >= 0)
            {
                s0 -= Unsafe.Add(ref r0, drop);
                s1 -= Unsafe.Add(ref r1, drop);
                s2 -= Unsafe.Add(ref r2, drop);
                s3 -= Unsafe.Add(ref r3, drop);
            }
        }
    }

    // The same along columns: every column's running sum is independent, so whole rows are added and dropped a vector
    // at a time; each column still sees the same adds in the same order, so the floats are those of a scalar loop.
    private static void BoxColumns(float[] input, float[] output, float[] sums, int width, int height, int radius)
    {
        var norm = 1f / ((2 * radius) + 1);
        var total = sums.AsSpan(0, width);
        total.Clear();
        for (var y = 0; y <= Math.Min(radius, height - 1); y++)
        {
            Add(total, input.AsSpan(y * width, width));
        }

        for (var y = 0; y < height; y++)
        {
            Scale(total, norm, output.AsSpan(y * width, width));
            var add = y + radius + 1;
            var drop = y - radius;
            if (add < height)
            {
                Add(total, input.AsSpan(add * width, width));
            }

            if (drop >= 0)
            {
                Subtract(total, input.AsSpan(drop * width, width));
            }
        }
    }

    private static void Add(Span<float> sums, ReadOnlySpan<float> row)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(sums);
            var vr = MemoryMarshal.Cast<float, Vector<float>>(row);
            for (var i = 0; i < vs.Length; i++)
            {
                vs[i] += vr[i];
            }

            x = vs.Length * Vector<float>.Count;
        }

        for (; x < sums.Length; x++)
        {
            sums[x] += row[x];
        }
    }

    private static void Subtract(Span<float> sums, ReadOnlySpan<float> row)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(sums);
            var vr = MemoryMarshal.Cast<float, Vector<float>>(row);
            for (var i = 0; i < vs.Length; i++)
            {
                vs[i] -= vr[i];
            }

            x = vs.Length * Vector<float>.Count;
        }

        for (; x < sums.Length; x++)
        {
            sums[x] -= row[x];
        }
    }

    private static void Scale(ReadOnlySpan<float> sums, float norm, Span<float> row)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(sums);
            var vr = MemoryMarshal.Cast<float, Vector<float>>(row);
            for (var i = 0; i < vs.Length; i++)
            {
                vr[i] = vs[i] * norm;
            }

            x = vs.Length * Vector<float>.Count;
        }

        for (; x < sums.Length; x++)
        {
            row[x] = sums[x] * norm;
        }
    }
}
