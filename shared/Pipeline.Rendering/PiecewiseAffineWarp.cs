using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Rendering;

/// <summary>
/// Moves an image so that landmarks go where the motion stage put them: every triangle of a mesh over the target
/// points is filled from the matching source triangle by its own affine map, sampled bilinearly. Pixels outside the
/// mesh are not touched. Frames are packed rgb24, row-major, <c>3 × width</c> bytes per row.
/// </summary>
public static class PiecewiseAffineWarp
{
    private const int Channels = 3;

    /// <param name="source">The original frame.</param>
    /// <param name="sourcePoints">Landmarks in <paramref name="source"/> (interleaved x, y; pixel centres at integers).</param>
    /// <param name="targetPoints">Where those landmarks must land.</param>
    /// <param name="triangles">Index triples into the points (e.g. from <c>Delaunay.Triangulate</c>).</param>
    /// <param name="output">Receives the warped pixels inside the target mesh; the rest is left as it was.</param>
    /// <param name="coverage">One byte per pixel: set to 255 where <paramref name="output"/> was written.</param>
    public static void Apply(
        ReadOnlySpan<byte> source, int width, int height, ReadOnlySpan<float> sourcePoints, ReadOnlySpan<float> targetPoints,
        ReadOnlySpan<int> triangles, Span<byte> output, Span<byte> coverage) =>
        Warp(source, width, height, sourcePoints, targetPoints, triangles, output, width, height, coverage, outputIsSourceCopy: false);

    /// <summary>
    /// The same, when <paramref name="output"/> already holds a copy of <paramref name="source"/> (the warp backend's
    /// case): a triangle whose map is the identity (every vertex held where it was: the upper face, the fixed ring)
    /// would only copy each pixel onto itself, so it just claims its pixels in <paramref name="coverage"/>. The bytes
    /// written are exactly those of <see cref="Apply(ReadOnlySpan{byte}, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, Span{byte}, Span{byte})"/>.
    /// </summary>
    public static void ApplyOverCopy(
        ReadOnlySpan<byte> source, int width, int height, ReadOnlySpan<float> sourcePoints, ReadOnlySpan<float> targetPoints,
        ReadOnlySpan<int> triangles, Span<byte> output, Span<byte> coverage) =>
        Warp(source, width, height, sourcePoints, targetPoints, triangles, output, width, height, coverage, outputIsSourceCopy: true);

    /// <summary>
    /// The same, from a source image of another size: an exemplar's crop drawn into a full frame. Source points are in
    /// the source's pixels, target points in the output's; pixels already covered are not written again.
    /// </summary>
    public static void Apply(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, ReadOnlySpan<float> sourcePoints, ReadOnlySpan<float> targetPoints,
        ReadOnlySpan<int> triangles, Span<byte> output, int width, int height, Span<byte> coverage) =>
        Warp(source, sourceWidth, sourceHeight, sourcePoints, targetPoints, triangles, output, width, height, coverage, outputIsSourceCopy: false);

    private static void Warp(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, ReadOnlySpan<float> sourcePoints, ReadOnlySpan<float> targetPoints,
        ReadOnlySpan<int> triangles, Span<byte> output, int width, int height, Span<byte> coverage, bool outputIsSourceCopy)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var bytes = (long)width * height * Channels;
        if (source.Length < (long)sourceWidth * sourceHeight * Channels || output.Length < bytes || coverage.Length < (long)width * height)
        {
            throw new ArgumentException($"a {sourceWidth}x{sourceHeight} rgb24 source, a {width}x{height} rgb24 output ({bytes} bytes) and {(long)width * height} coverage bytes are needed");
        }

        if (sourcePoints.Length != targetPoints.Length || triangles.Length % 3 != 0)
        {
            throw new ArgumentException("source and target need the same points, and triangles come in index triples");
        }

        // Only a same-sized source can be the output's own copy; the identity shortcut is off otherwise.
        var image = new SourceImage(sourceWidth, sourceHeight, outputIsSourceCopy && sourceWidth == width && sourceHeight == height);
        for (var t = 0; t < triangles.Length; t += 3)
        {
            FillTriangle(source, image, width, height, sourcePoints, targetPoints, triangles[t], triangles[t + 1], triangles[t + 2], output, coverage);
        }
    }

    private readonly record struct SourceImage(int Width, int Height, bool IsOutputCopy);

    private static void FillTriangle(
        ReadOnlySpan<byte> source, SourceImage image, int width, int height, ReadOnlySpan<float> sp, ReadOnlySpan<float> tp, int i, int j, int k,
        Span<byte> output, Span<byte> coverage)
    {
        double x0 = tp[2 * i], y0 = tp[(2 * i) + 1], x1 = tp[2 * j], y1 = tp[(2 * j) + 1], x2 = tp[2 * k], y2 = tp[(2 * k) + 1];
        var den = ((y1 - y2) * (x0 - x2)) + ((x2 - x1) * (y0 - y2));
        if (Math.Abs(den) < 1e-9)
        {
            return; // a degenerate target triangle covers no pixel
        }

        // Barycentric weights as affine functions of (x, y): w = a·x + b·y + c.
        var (a0, b0) = ((y1 - y2) / den, (x2 - x1) / den);
        var c0 = -(a0 * x2) - (b0 * y2);
        var (a1, b1) = ((y2 - y0) / den, (x0 - x2) / den);
        var c1 = -(a1 * x2) - (b1 * y2);

        // The source position as affine functions of (x, y), composed once per triangle.
        double sx0 = sp[2 * i], sy0 = sp[(2 * i) + 1], sx1 = sp[2 * j], sy1 = sp[(2 * j) + 1], sx2 = sp[2 * k], sy2 = sp[(2 * k) + 1];
        var ax = (a0 * (sx0 - sx2)) + (a1 * (sx1 - sx2));
        var bx = (b0 * (sx0 - sx2)) + (b1 * (sx1 - sx2));
        var cx = (c0 * (sx0 - sx2)) + (c1 * (sx1 - sx2)) + sx2;
        var ay = (a0 * (sy0 - sy2)) + (a1 * (sy1 - sy2));
        var by = (b0 * (sy0 - sy2)) + (b1 * (sy1 - sy2));
        var cy = (c0 * (sy0 - sy2)) + (c1 * (sy1 - sy2)) + sy2;

        var left = Math.Max(0, (int)Math.Floor(Math.Min(x0, Math.Min(x1, x2))));
        var right = Math.Min(width - 1, (int)Math.Ceiling(Math.Max(x0, Math.Max(x1, x2))));
        var top = Math.Max(0, (int)Math.Floor(Math.Min(y0, Math.Min(y1, y2))));
        var bottom = Math.Min(height - 1, (int)Math.Ceiling(Math.Max(y0, Math.Max(y1, y2))));
        if (left > right || top > bottom)
        {
            return; // wholly off the frame
        }

        // An identity map over an output that is the source's copy: Sample would read back each pixel as it already
        // is (a pixel is written only once, so it still holds the source there), so only coverage needs claiming.
        var identity = image.IsOutputCopy && IsIdentity(ax, bx, cx, ay, by, cy, right, bottom);
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var outp = ref MemoryMarshal.GetReference(output);
        ref var covered = ref MemoryMarshal.GetReference(coverage);
        const double Edge = -1e-9; // pixels on a shared edge belong to whichever triangle reaches them first
        for (var y = top; y <= bottom; y++)
        {
            // Each weight is linear in x along the row: solve for the span where all three can be non-negative, then
            // test only inside it (one pixel of slack each side keeps the exact per-pixel rule at the edges).
            var (from, to) = ((double)left, (double)right);
            if (!Clip(a0, (b0 * y) + c0, ref from, ref to) || !Clip(a1, (b1 * y) + c1, ref from, ref to)
                || !Clip(-a0 - a1, 1 - (b0 * y) - c0 - (b1 * y) - c1, ref from, ref to))
            {
                continue;
            }

            var xStart = Math.Max(left, (int)Math.Floor(from) - 1);
            var xEnd = Math.Min(right, (int)Math.Ceiling(to) + 1);
            var row = y * width;

            // The row's terms, hoisted: (a·x + b·y) + c is still summed in that order, so every value is bit for bit
            // what the direct per-pixel expression gives. xStart..xEnd lies inside the frame (left..right clipped).
            var (y0w, y1w, ysx, ysy) = (b0 * y, b1 * y, bx * y, by * y);
            for (var x = xStart; x <= xEnd; x++)
            {
                var w0 = (a0 * x) + y0w + c0;
                var w1 = (a1 * x) + y1w + c1;
                ref var cover = ref Unsafe.Add(ref covered, row + x);
                if (w0 < Edge || w1 < Edge || 1 - w0 - w1 < Edge || cover != 0)
                {
                    continue;
                }

                if (!identity)
                {
                    Sample(ref src, image.Width, image.Height, (ax * x) + ysx + cx, (ay * x) + ysy + cy, ref Unsafe.Add(ref outp, (row + x) * Channels));
                }

                cover = 255;
            }
        }
    }

    // True when the map (ax·x + bx·y + cx, ay·x + by·y + cy) is within 1/1000 pixel of (x, y) over the whole box
    // [0, right] × [0, bottom]: Sample rounds to 1/256 pixel, so it then reads each pixel itself, exactly. Comparing
    // the composed map (not the vertices) keeps this true of what Sample would have been given, rounding included.
    private static bool IsIdentity(double ax, double bx, double cx, double ay, double by, double cy, int right, int bottom)
    {
        const double Tolerance = 1e-3;
        return (Math.Abs(ax - 1) * right) + (Math.Abs(bx) * bottom) + Math.Abs(cx) <= Tolerance
            && (Math.Abs(ay) * right) + (Math.Abs(by - 1) * bottom) + Math.Abs(cy) <= Tolerance;
    }

    // Narrows [from, to] to where slope·x + offset ≥ 0; false when no x on the row qualifies.
    private static bool Clip(double slope, double offset, ref double from, ref double to)
    {
        if (Math.Abs(slope) < 1e-12)
        {
            return offset >= -1e-6;
        }

        var root = -offset / slope;
        if (slope > 0)
        {
            from = Math.Max(from, root);
        }
        else
        {
            to = Math.Min(to, root);
        }

        return from <= to + 2;
    }

    // Bilinear in 8-bit fixed point (weights in 1/256 pixel), coordinates clamped to the frame: the warp's hot loop,
    // about twice as fast as the same in doubles; a whole-pixel position reads its pixel exactly. Unchecked reads: the
    // clamp keeps all four neighbours inside the source, whose size Apply checked.
    private static void Sample(ref byte source, int width, int height, double x, double y, ref byte pixel)
    {
        x = Math.Clamp(x, 0, width - 1);
        y = Math.Clamp(y, 0, height - 1);
        var xs = (int)((x * 256) + 0.5); // to the nearest 1/256: 4.9999999 reads pixel 5 exactly
        var ys = (int)((y * 256) + 0.5);
        var (xi, fx) = (xs >> 8, xs & 255);
        var (yi, fy) = (ys >> 8, ys & 255);
        var p00 = ((yi * width) + xi) * Channels;
        var p10 = xi < width - 1 ? p00 + Channels : p00; // the last column and row repeat themselves
        var down = yi < height - 1 ? width * Channels : 0;
        var (p01, p11) = (p00 + down, p10 + down);
        var (gx, gy) = (256 - fx, 256 - fy);
        for (var c = 0; c < Channels; c++)
        {
            var top = (Unsafe.Add(ref source, p00 + c) * gx) + (Unsafe.Add(ref source, p10 + c) * fx);
            var bottom = (Unsafe.Add(ref source, p01 + c) * gx) + (Unsafe.Add(ref source, p11 + c) * fx);
            Unsafe.Add(ref pixel, c) = (byte)(((top * gy) + (bottom * fy) + 32768) >> 16);
        }
    }
}
