using Pipeline.FaceGeometry;

namespace Pipeline.Rendering;

/// <summary>
/// The <c>warp</c> backend's frame step: moves the jaw, lips and nose base of a frame from where they were tracked
/// to where the motion stage put them, with a mesh held fixed at the upper face and on a ring outside the jaw, so the
/// skin around the mouth stretches smoothly and nothing outside that ring changes. It cannot invent what the frame
/// does not show (teeth behind closed lips): that is the exemplar backend's job.
/// </summary>
public sealed class LowerFaceWarp
{
    /// <summary>Points the motion moves: jaw 2-14, nose base 30-35, mouth 48-67.</summary>
    private static readonly int[] Moving = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 30, 31, 32, 33, 34, 35, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67];

    /// <summary>Points held where they were: the jaw's top, the nose bridge and the eye corners.</summary>
    private static readonly int[] Fixed = [0, 1, 15, 16, 27, 28, 29, 36, 39, 42, 45];

    /// <summary>The fixed ring: each jaw point pushed out from the face centre by this share of the face height.</summary>
    private const float RingMargin = 0.25f;

    private readonly int _width;
    private readonly int _height;
    private readonly byte[] _coverage;
    private readonly FeatheredBlend _blend;
    private readonly float[] _from;
    private readonly float[] _to;

    /// <summary>The box (inclusive, inside the frame) where the last frame's warp may have written coverage.</summary>
    private (int Left, int Top, int Right, int Bottom) _written = (0, 0, -1, -1);

    public LowerFaceWarp(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        (_width, _height) = (width, height);
        _coverage = new byte[width * height];
        _blend = new FeatheredBlend(width, height);
        var count = Moving.Length + Fixed.Length + 17;
        _from = new float[2 * count];
        _to = new float[2 * count];
    }

    /// <summary>
    /// Writes into <paramref name="output"/> the frame <paramref name="frame"/> with its lower face moved from
    /// <paramref name="tracked"/> to <paramref name="predicted"/> (68 landmarks each, pixels).
    /// </summary>
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
            var (rx, ry) = RingPoint(tracked, predicted, p, cx, cy, faceHeight);
            Set(n++, rx, ry, rx, ry);
        }

        var from = _from.AsSpan(0, 2 * n);
        var to = _to.AsSpan(0, 2 * n);

        // The warp writes coverage only inside the target points' box (each triangle's pixels lie inside its own), so
        // only the last frame's box needs clearing, and the blend searches only this one.
        ClearCoverage();
        var bounds = Landmarks68.Bounds(to);
        _written = float.IsFinite(bounds.MinX) && float.IsFinite(bounds.MinY) && float.IsFinite(bounds.MaxX) && float.IsFinite(bounds.MaxY)
            ? ((int)MathF.Max(0, MathF.Floor(bounds.MinX)), (int)MathF.Max(0, MathF.Floor(bounds.MinY)),
                (int)MathF.Min(_width - 1, MathF.Ceiling(bounds.MaxX)), (int)MathF.Min(_height - 1, MathF.Ceiling(bounds.MaxY)))
            : (0, 0, _width - 1, _height - 1); // a broken landmark: no box to trust, so the whole frame as before
        PiecewiseAffineWarp.ApplyOverCopy(frame, _width, _height, from, to, Delaunay.Triangulate(to), output, _coverage);
        var (left, top, right, bottom) = _written;
        _blend.Apply(frame, output, _coverage, Math.Max(1, (int)(0.02f * faceHeight)), left, top, right, bottom);
    }

    /// <summary>
    /// The box that drawing this face reads and writes (inclusive, clamped to the frame): the mesh over the tracked and
    /// the predicted landmarks with its ring, grown by the feathered edge's reach and the sampler's neighbour. The
    /// exemplar's mouth lies well inside it. A landmark that is not finite gives the whole frame.
    /// </summary>
    public static PixelBox Reach(ReadOnlySpan<float> tracked, ReadOnlySpan<float> predicted, int width, int height)
    {
        if (tracked.Length < Landmarks68.FloatCount || predicted.Length < Landmarks68.FloatCount)
        {
            throw new ArgumentException($"68 landmarks ({Landmarks68.FloatCount} floats) each");
        }

        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        void Add(float x, float y) => (minX, minY, maxX, maxY) = (MathF.Min(minX, x), MathF.Min(minY, y), MathF.Max(maxX, x), MathF.Max(maxY, y));
        for (var p = 0; p < Landmarks68.PointCount; p++)
        {
            Add(tracked[2 * p], tracked[(2 * p) + 1]);
            Add(predicted[2 * p], predicted[(2 * p) + 1]);
        }

        var (cx, cy) = ((tracked[2 * 30] + tracked[2 * 8]) / 2, (tracked[(2 * 30) + 1] + tracked[(2 * 8) + 1]) / 2);
        var faceHeight = MathF.Max(1f, MathF.Abs(tracked[(2 * 8) + 1] - tracked[(2 * 27) + 1]));
        for (var p = 0; p <= 16; p++)
        {
            var (rx, ry) = RingPoint(tracked, predicted, p, cx, cy, faceHeight);
            Add(rx, ry);
        }

        if (!float.IsFinite(minX) || !float.IsFinite(minY) || !float.IsFinite(maxX) || !float.IsFinite(maxY))
        {
            return new PixelBox(0, 0, width - 1, height - 1);
        }

        var grow = (2 * Math.Max(1, (int)(0.02f * faceHeight))) + 3;
        return new PixelBox(
            Math.Clamp((int)MathF.Floor(minX) - grow, 0, width - 1),
            Math.Clamp((int)MathF.Floor(minY) - grow, 0, height - 1),
            Math.Clamp((int)MathF.Ceiling(maxX) + grow, 0, width - 1),
            Math.Clamp((int)MathF.Ceiling(maxY) + grow, 0, height - 1));
    }

    // A jaw point pushed out from the face centre past both its tracked and its predicted place: the fixed ring.
    private static (float X, float Y) RingPoint(ReadOnlySpan<float> tracked, ReadOnlySpan<float> predicted, int p, float cx, float cy, float faceHeight)
    {
        var (dx, dy) = (tracked[2 * p] - cx, tracked[(2 * p) + 1] - cy);
        var (px, py) = (predicted[2 * p] - cx, predicted[(2 * p) + 1] - cy);
        var length = MathF.Max(1e-3f, MathF.Sqrt((dx * dx) + (dy * dy)));
        var reach = MathF.Max(length, MathF.Sqrt((px * px) + (py * py))) + (RingMargin * faceHeight);
        return (cx + (dx / length * reach), cy + (dy / length * reach));
    }

    private void ClearCoverage()
    {
        var (left, top, right, bottom) = _written;
        for (var y = top; y <= bottom && left <= right; y++)
        {
            _coverage.AsSpan((y * _width) + left, right - left + 1).Clear();
        }
    }

    private void Set(int index, float fromX, float fromY, float toX, float toY)
    {
        (_from[2 * index], _from[(2 * index) + 1]) = (fromX, fromY);
        (_to[2 * index], _to[(2 * index) + 1]) = (toX, toY);
    }
}
