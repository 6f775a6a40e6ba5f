using Pipeline.FaceGeometry;
using Pipeline.Rendering.Exemplars;

namespace Pipeline.Rendering.Tests;

/// <summary>
/// The drawing code is tuned for speed (unchecked reads, identity triangles skipped, vectorised blur, settled pixels
/// skipped in the blend), and every one of those must leave the bytes as they were: these tests draw the same frames
/// with the straightforward code it replaced (kept below, as it was) and require the very same bytes.
/// </summary>
public sealed class DrawingExactnessTests
{
    private const int W = 320;
    private const int H = 240;

    // Texture with both noise and smooth ramps, so bilinear sampling gives in-between values everywhere.
    private static byte[] Frame(int seed)
    {
        var random = new Random(seed);
        var frame = new byte[W * H * 3];
        for (var i = 0; i < frame.Length; i++)
        {
            var (x, y) = (i / 3 % W, i / 3 / W);
            frame[i] = (byte)((((x * 3) + (y * 2) + (i % 3 * 40)) % 200) + random.Next(56));
        }

        return frame;
    }

    // The canonical face 90 px between the eyes, moved by (dx, dy); the lower lip and jaw dropped by `open` and the
    // mouth pulled sideways by `shift` (fractions of a pixel, so the warp samples between pixels).
    private static float[] Face(float dx, float dy, float open = 0, float shift = 0)
    {
        var face = new float[Landmarks68.FloatCount];
        for (var p = 0; p < 68; p++)
        {
            face[2 * p] = (90 * CanonicalFace.Points[2 * p]) + 160 + dx;
            face[(2 * p) + 1] = (90 * CanonicalFace.Points[(2 * p) + 1]) + 60 + dy;
            if (p is (>= 5 and <= 11) or (>= 55 and <= 59) or (>= 65 and <= 67))
            {
                face[(2 * p) + 1] += open;
            }

            if (p >= 48)
            {
                face[2 * p] += shift;
            }
        }

        return face;
    }

    // Faces across the frame, one partly off each edge, so the clamped edges and clipped boxes are drawn too.
    public static TheoryData<float, float, float, float> Moves => new()
    {
        { 0f, 0f, 0f, 0f },
        { 3.3f, -2.7f, 7.6f, 1.37f },
        { -0.5f, 10.25f, 14f, -2.2f },
        { -140f, 5f, 9f, 0.6f },
        { 150f, 110f, 11f, -0.4f },
        { 40f, -55f, 5.5f, 3.1f },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void The_lower_face_warp_draws_the_bytes_of_the_reference(float dx, float dy, float open, float shift)
    {
        var frame = Frame(11);
        var warp = new LowerFaceWarp(W, H);
        var reference = new ReferenceLowerFaceWarp(W, H);
        var (output, expected) = (new byte[frame.Length], new byte[frame.Length]);

        // Several frames through the same instances, the face moving between them: coverage left from one frame
        // must not leak into the next.
        for (var step = 0; step < 4; step++)
        {
            var tracked = Face(dx + (7 * step), dy - (3 * step));
            var predicted = Face(dx + (7 * step), dy - (3 * step), open + step, shift - (0.3f * step));
            warp.Render(frame, tracked, predicted, output);
            reference.Render(frame, tracked, predicted, expected);
            Assert.True(expected.AsSpan().SequenceEqual(output), $"step {step}: {Differences(expected, output)} bytes differ");
        }
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void The_mouth_compositor_draws_the_bytes_of_the_reference(float dx, float dy, float open, float shift)
    {
        var source = Frame(5);
        var exemplarFace = Face(-20, 8, open: 9);
        var region = ExemplarCrop.Region(exemplarFace, W, H);
        var crop = new byte[region.Width * region.Height * 3];
        ExemplarCrop.Copy(source, W, region, crop);
        var local = (float[])exemplarFace.Clone();
        for (var i = 0; i < local.Length; i += 2)
        {
            local[i] -= region.X;
            local[i + 1] -= region.Y;
        }

        var compositor = new MouthCompositor(W, H);
        var reference = new ReferenceMouthCompositor(W, H);
        var output = Frame(23);
        var expected = (byte[])output.Clone();
        for (var step = 0; step < 4; step++)
        {
            var predicted = Face(dx - (5 * step), dy + (2 * step), open + (2 * step), shift);
            compositor.Apply(output, crop, region.Width, region.Height, local, predicted);
            reference.Apply(expected, crop, region.Width, region.Height, local, predicted);
            Assert.True(expected.AsSpan().SequenceEqual(output), $"step {step}: {Differences(expected, output)} bytes differ");
        }
    }

    [Fact]
    public void A_general_warp_and_blend_draw_the_bytes_of_the_reference()
    {
        // Not the lower face's layout: a source of another size and a target mesh half off the frame, blended with
        // and without a box hint.
        var source = Frame(3).AsSpan(0, 150 * 100 * 3).ToArray();
        var from = Face(-90, -20, open: 6);
        var to = Face(-100.4f, 95.3f, open: 13, shift: 2.2f);
        var triangles = Delaunay.Triangulate(to);
        var output = Frame(4);
        var expected = (byte[])output.Clone();
        var (coverage, expectedCoverage) = (new byte[W * H], new byte[W * H]);
        PiecewiseAffineWarp.Apply(source, 150, 100, from, to, triangles, output, W, H, coverage);
        ReferenceWarp.Apply(source, 150, 100, from, to, triangles, expected, W, H, expectedCoverage);
        Assert.Equal(expectedCoverage, coverage);
        Assert.Equal(expected, output);

        var original = Frame(4);
        var hinted = (byte[])output.Clone();
        new FeatheredBlend(W, H).Apply(original, output, coverage, 5);
        new FeatheredBlend(W, H).Apply(original, hinted, coverage, 5, 0, 100, W - 1, H - 1);
        new ReferenceBlend(W, H).Apply(original, expected, expectedCoverage, 5);
        Assert.True(expected.AsSpan().SequenceEqual(output), $"{Differences(expected, output)} bytes differ");
        Assert.Equal(expected, hinted);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void A_blend_of_unrelated_frames_over_a_speckled_mask_gives_the_bytes_of_the_reference(int radius)
    {
        // Every α from 0 to 1 over pixels that differ (real callers mostly have warped = original where α is small).
        var random = new Random(radius);
        var coverage = new byte[W * H];
        for (var y = 30; y < 200; y++)
        {
            for (var x = 20; x < 290; x++)
            {
                coverage[(y * W) + x] = random.Next(3) == 0 || (x > 100 && x < 200 && y > 80 && y < 150) ? (byte)255 : (byte)0;
            }
        }

        var original = Frame(31);
        var output = Frame(32);
        var expected = (byte[])output.Clone();
        new FeatheredBlend(W, H).Apply(original, output, coverage, radius, 10, 20, 300, 210);
        new ReferenceBlend(W, H).Apply(original, expected, coverage, radius);
        Assert.True(expected.AsSpan().SequenceEqual(output), $"{Differences(expected, output)} bytes differ");
    }

    [Fact]
    public void Over_a_copy_a_warp_writes_what_the_plain_warp_writes()
    {
        var frame = Frame(8);
        var from = Face(0, 0);
        var to = Face(0, 0, open: 8, shift: -1.6f);
        var triangles = Delaunay.Triangulate(to);
        var (output, expected) = ((byte[])frame.Clone(), (byte[])frame.Clone());
        var (coverage, expectedCoverage) = (new byte[W * H], new byte[W * H]);
        PiecewiseAffineWarp.ApplyOverCopy(frame, W, H, from, to, triangles, output, coverage);
        ReferenceWarp.Apply(frame, W, H, from, to, triangles, expected, expectedCoverage);
        Assert.Equal(expectedCoverage, coverage);
        Assert.Equal(expected, output);
    }

    private static int Differences(byte[] expected, byte[] actual) => expected.Where((b, i) => b != actual[i]).Count();
}

// The drawing code as it was before it was tuned (copied unchanged but for the names), the reference for the bytes.

internal static class ReferenceWarp
{
    private const int Channels = 3;

    public static void Apply(
        ReadOnlySpan<byte> source, int width, int height, ReadOnlySpan<float> sourcePoints, ReadOnlySpan<float> targetPoints,
        ReadOnlySpan<int> triangles, Span<byte> output, Span<byte> coverage) =>
        Apply(source, width, height, sourcePoints, targetPoints, triangles, output, width, height, coverage);

    public static void Apply(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, ReadOnlySpan<float> sourcePoints, ReadOnlySpan<float> targetPoints,
        ReadOnlySpan<int> triangles, Span<byte> output, int width, int height, Span<byte> coverage)
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

        var image = new SourceImage(sourceWidth, sourceHeight);
        for (var t = 0; t < triangles.Length; t += 3)
        {
            FillTriangle(source, image, width, height, sourcePoints, targetPoints, triangles[t], triangles[t + 1], triangles[t + 2], output, coverage);
        }
    }

    private readonly record struct SourceImage(int Width, int Height);

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
            for (var x = xStart; x <= xEnd; x++)
            {
                var w0 = (a0 * x) + (b0 * y) + c0;
                var w1 = (a1 * x) + (b1 * y) + c1;
                if (w0 < Edge || w1 < Edge || 1 - w0 - w1 < Edge || coverage[row + x] != 0)
                {
                    continue;
                }

                Sample(source, image.Width, image.Height, (ax * x) + (bx * y) + cx, (ay * x) + (by * y) + cy, output.Slice((row + x) * Channels, Channels));
                coverage[row + x] = 255;
            }
        }
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
    // about twice as fast as the same in doubles; a whole-pixel position reads its pixel exactly.
    private static void Sample(ReadOnlySpan<byte> source, int width, int height, double x, double y, Span<byte> pixel)
    {
        x = Math.Clamp(x, 0, width - 1);
        y = Math.Clamp(y, 0, height - 1);
        var xs = (int)((x * 256) + 0.5); // to the nearest 1/256: 4.9999999 reads pixel 5 exactly
        var ys = (int)((y * 256) + 0.5);
        var (xi, fx) = (xs >> 8, xs & 255);
        var (yi, fy) = (ys >> 8, ys & 255);
        var xn = Math.Min(xi + 1, width - 1);
        var yn = Math.Min(yi + 1, height - 1);
        var p00 = ((yi * width) + xi) * Channels;
        var p10 = ((yi * width) + xn) * Channels;
        var p01 = ((yn * width) + xi) * Channels;
        var p11 = ((yn * width) + xn) * Channels;
        var (gx, gy) = (256 - fx, 256 - fy);
        for (var c = 0; c < Channels; c++)
        {
            var top = (source[p00 + c] * gx) + (source[p10 + c] * fx);
            var bottom = (source[p01 + c] * gx) + (source[p11 + c] * fx);
            pixel[c] = (byte)(((top * gy) + (bottom * fy) + 32768) >> 16);
        }
    }
}

internal sealed class ReferenceBlend
{
    private const int Channels = 3;

    private readonly int _width;
    private readonly int _height;
    private float[] _alpha = [];
    private float[] _scratch = [];
    private float[] _sums = [];

    public ReferenceBlend(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        (_width, _height) = (width, height);
    }

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

internal sealed class ReferenceLowerFaceWarp
{
    private static readonly int[] Moving = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 30, 31, 32, 33, 34, 35, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67];

    private static readonly int[] Fixed = [0, 1, 15, 16, 27, 28, 29, 36, 39, 42, 45];

    private const float RingMargin = 0.25f;

    private readonly int _width;
    private readonly int _height;
    private readonly byte[] _coverage;
    private readonly ReferenceBlend _blend;
    private readonly float[] _from;
    private readonly float[] _to;

    public ReferenceLowerFaceWarp(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        (_width, _height) = (width, height);
        _coverage = new byte[width * height];
        _blend = new ReferenceBlend(width, height);
        var count = Moving.Length + Fixed.Length + 17;
        _from = new float[2 * count];
        _to = new float[2 * count];
    }

    public void Render(ReadOnlySpan<byte> frame, ReadOnlySpan<float> tracked, ReadOnlySpan<float> predicted, Span<byte> output)
    {
        if (tracked.Length < Landmarks68.FloatCount || predicted.Length < Landmarks68.FloatCount || frame.Length < _width * _height * 3 || output.Length < _width * _height * 3)
        {
            throw new ArgumentException($"68 landmarks ({Landmarks68.FloatCount} floats) each, and {_width}x{_height} rgb24 frames");
        }

        frame.CopyTo(output);
        var n = 0;
        foreach (var p in Moving)
        {
            Set(n++, tracked[2 * p], tracked[(2 * p) + 1], predicted[2 * p], predicted[(2 * p) + 1]);
        }

        foreach (var p in Fixed)
        {
            Set(n++, tracked[2 * p], tracked[(2 * p) + 1], tracked[2 * p], tracked[(2 * p) + 1]);
        }

        // The ring: outside the jaw (of both the tracked and the predicted face), fixed, so the warp fades to nothing there.
        var (cx, cy) = ((tracked[2 * 30] + tracked[2 * 8]) / 2, (tracked[(2 * 30) + 1] + tracked[(2 * 8) + 1]) / 2);
        var faceHeight = MathF.Max(1f, MathF.Abs(tracked[(2 * 8) + 1] - tracked[(2 * 27) + 1]));
        for (var p = 0; p <= 16; p++)
        {
            var (dx, dy) = (tracked[2 * p] - cx, tracked[(2 * p) + 1] - cy);
            var (px, py) = (predicted[2 * p] - cx, predicted[(2 * p) + 1] - cy);
            var length = MathF.Max(1e-3f, MathF.Sqrt((dx * dx) + (dy * dy)));
            var reach = MathF.Max(length, MathF.Sqrt((px * px) + (py * py))) + (RingMargin * faceHeight);
            var (rx, ry) = (cx + (dx / length * reach), cy + (dy / length * reach));
            Set(n++, rx, ry, rx, ry);
        }

        var from = _from.AsSpan(0, 2 * n);
        var to = _to.AsSpan(0, 2 * n);
        Array.Clear(_coverage);
        ReferenceWarp.Apply(frame, _width, _height, from, to, Delaunay.Triangulate(to), output, _coverage);
        _blend.Apply(frame, output, _coverage, radius: Math.Max(1, (int)(0.02f * faceHeight)));
    }

    private void Set(int index, float fromX, float fromY, float toX, float toY)
    {
        (_from[2 * index], _from[(2 * index) + 1]) = (fromX, fromY);
        (_to[2 * index], _to[(2 * index) + 1]) = (toX, toY);
    }
}

internal sealed class ReferenceMouthCompositor
{
    private const int Channels = 3;

    private const float FeatherShare = 0.06f;

    private readonly int _width;
    private readonly int _height;
    private readonly byte[] _layer;
    private readonly byte[] _coverage;
    private readonly ReferenceBlend _blend;
    private readonly float[] _from = new float[2 * MouthMesh.PointCount];
    private readonly float[] _to = new float[2 * MouthMesh.PointCount];
    private readonly FollowedColourShift _colour = new();
    private readonly MembraneCorrection _membrane = new();

    public ReferenceMouthCompositor(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        (_width, _height) = (width, height);
        _layer = new byte[width * height * Channels];
        _coverage = new byte[width * height];
        _blend = new ReferenceBlend(width, height);
    }

    public ReadOnlySpan<float> Shift => _colour.Values;

    public void Reset() => _colour.Reset();

    public void Apply(Span<byte> frame, ReadOnlySpan<byte> crop, int cropWidth, int cropHeight, ReadOnlySpan<float> exemplarFace, ReadOnlySpan<float> predicted)
    {
        if (frame.Length < _width * _height * Channels)
        {
            throw new ArgumentException($"a {_width}x{_height} rgb24 frame is needed", nameof(frame));
        }

        MouthMesh.Build(exemplarFace, _from);
        var mouthWidth = MouthMesh.Build(predicted, _to);
        var radius = Math.Max(1, (int)(FeatherShare * mouthWidth));
        var bounds = Landmarks68.Bounds(_to);
        var reach = (2 * radius) + 2;
        var left = Math.Clamp((int)MathF.Floor(bounds.MinX) - reach, 0, _width - 1);
        var top = Math.Clamp((int)MathF.Floor(bounds.MinY) - reach, 0, _height - 1);
        var right = Math.Clamp((int)MathF.Ceiling(bounds.MaxX) + reach, left, _width - 1);
        var bottom = Math.Clamp((int)MathF.Ceiling(bounds.MaxY) + reach, top, _height - 1);
        if (bounds.MaxX < 0 || bounds.MaxY < 0 || bounds.MinX >= _width || bounds.MinY >= _height)
        {
            return; // the mouth is outside the picture
        }

        FollowedColourShift.CopyBox(frame, _layer, _width, left, top, right, bottom);
        var (inner, band) = MouthMesh.Split(Delaunay.Triangulate(_to));
        ReferenceWarp.Apply(crop, cropWidth, cropHeight, _from, _to, band, _layer, _width, _height, _coverage);
        MatchColour(frame, left, top, right, bottom);
        ReferenceWarp.Apply(crop, cropWidth, cropHeight, _from, _to, inner, _layer, _width, _height, _coverage);
        _colour.ApplyCovered(_layer, _coverage, _width, left, top, right, bottom);
        _membrane.Apply(frame, _layer, _coverage, _width, left, top, right, bottom, Math.Max(2, (int)(mouthWidth / 12)));
        _blend.Apply(frame, _layer, _coverage, radius);
        FollowedColourShift.CopyBox(_layer, frame, _width, left, top, right, bottom);
        for (var y = top; y <= bottom; y++)
        {
            _coverage.AsSpan((y * _width) + left, right - left + 1).Clear();
        }
    }

    // The skin band (the only covered pixels so far): the frame's mean minus the exemplar's, followed smoothly.
    private void MatchColour(ReadOnlySpan<byte> frame, int left, int top, int right, int bottom)
    {
        Span<double> delta = stackalloc double[Channels];
        long count = 0;
        for (var y = top; y <= bottom; y++)
        {
            for (var x = left; x <= right; x++)
            {
                if (_coverage[(y * _width) + x] == 0)
                {
                    continue;
                }

                var p = ((y * _width) + x) * Channels;
                for (var c = 0; c < Channels; c++)
                {
                    delta[c] += frame[p + c] - _layer[p + c];
                }

                count++;
            }
        }

        _colour.Update(delta, count);
    }
}
