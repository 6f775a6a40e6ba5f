using Pipeline.FaceGeometry;

namespace Pipeline.Rendering.Portrait;

/// <summary>
/// Animate mode's frame step: makes one photo say a frame of speech. A single mesh carries three motions at once: the
/// 68 landmarks go where motion put them (lips, jaw, lids, brows), a ring around the whole head (hair included)
/// follows the head's pose as one rigid similarity, and an outer ring stays where it was, so the background moves
/// nowhere and the neck and the air around the head stretch smoothly between the two rings. Pixels outside the outer
/// ring are the photo's own. Where the mouth opens wider than the photo's, <see cref="MouthInterior"/> paints the
/// inside of the mouth the photo does not show.
/// </summary>
public sealed class PortraitWarp
{
    private const int Face = Landmarks68.FloatCount;

    /// <summary>Ring points: enough for a smooth ellipse at every head size.</summary>
    private const int RingPoints = 20;

    /// <summary>The head ellipse in units of the nose-bridge-to-chin distance d: centre 0.35 d above the bridge…</summary>
    private const float CentreAboveBridge = 0.35f;

    /// <summary>…reaching 1.6 d up and down (below the chin, so an open jaw stays inside; above the crown) and 0.8 face widths across (ears and hair).</summary>
    private const float RadiusAlong = 1.6f;

    private const float RadiusAcross = 0.8f;

    /// <summary>The fixed outer ring, as a multiple of the head ellipse: the band where the motion fades out.</summary>
    private const float OuterScale = 1.6f;

    /// <summary>For the triangulation only, a shut mouth's inner lips are held this share of its width apart.</summary>
    private const float InnerGapShare = 0.05f;

    /// <summary>Inner lower-lip points and the inner upper-lip point above each.</summary>
    private static readonly (int Lower, int Upper)[] InnerLips = [(67, 61), (66, 62), (65, 63)];

    /// <summary>Points that move with the skull alone (jaw top, nose, eye corners): what the head's similarity is fitted on.</summary>
    private static readonly int[] Rigid = [0, 16, 27, 28, 29, 30, 31, 35, 36, 39, 42, 45];

    private readonly int _width;
    private readonly int _height;
    private readonly byte[] _coverage;
    private readonly float[] _from = new float[Face + (4 * RingPoints)];
    private readonly float[] _to = new float[Face + (4 * RingPoints)];
    private readonly float[] _topology = new float[Face + (4 * RingPoints)];
    private readonly float[] _rigidWeights = new float[Landmarks68.PointCount];
    private readonly MouthInterior _mouth;

    public PortraitWarp(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        (_width, _height) = (width, height);
        _coverage = new byte[width * height];
        _mouth = new MouthInterior(width, height);
        foreach (var p in Rigid)
        {
            _rigidWeights[p] = 1f;
        }
    }

    /// <summary>
    /// Writes into <paramref name="output"/> the photo with its face moved from <paramref name="photoFace"/> to
    /// <paramref name="target"/> (68 landmarks each, pixels).
    /// </summary>
    public void Render(ReadOnlySpan<byte> photo, ReadOnlySpan<float> photoFace, ReadOnlySpan<float> target, Span<byte> output)
    {
        var bytes = _width * _height * 3;
        if (photoFace.Length < Face || target.Length < Face || photo.Length < bytes || output.Length < bytes)
        {
            throw new ArgumentException($"68 landmarks ({Face} floats) each, and {_width}x{_height} rgb24 images");
        }

        photo[..bytes].CopyTo(output);
        photoFace[..Face].CopyTo(_from);
        target[..Face].CopyTo(_to);

        var head = SimilarityTransform.TryEstimate(photoFace[..Face], target[..Face], _rigidWeights, out var fitted) ? fitted : SimilarityTransform.Identity;
        var (cx, cy, ux, uy, along, across) = HeadEllipse(photoFace);
        var n = Face;
        for (var i = 0; i < RingPoints; i++)
        {
            var angle = 2 * Math.PI * i / RingPoints;
            var (c, s) = (Math.Cos(angle), Math.Sin(angle));

            // u points from chin to crown; the across axis is u turned a quarter.
            var ex = cx + (c * along * ux) + (s * across * -uy);
            var ey = cy + (c * along * uy) + (s * across * ux);
            var (hx, hy) = head.Apply(ex, ey);
            Set(ref n, ex, ey, hx, hy);
            var (ox, oy) = (cx + ((ex - cx) * OuterScale), cy + ((ey - cy) * OuterScale));
            Set(ref n, ox, oy, ox, oy);
        }

        var from = _from.AsSpan(0, n);
        var to = _to.AsSpan(0, n);
        Array.Clear(_coverage);
        PiecewiseAffineWarp.Apply(photo, _width, _height, from, to, Triangles(from), output, _coverage);
        _mouth.Paint(photo, photoFace, output, target);
    }

    /// <summary>
    /// The mesh, laid over the photo's points and kept whatever the frame does. Laid over each frame's points instead, a
    /// closing eye or an opening mouth changes which points are joined, and a triangle whose photo side is turned over
    /// draws a mirrored patch (a shattered eyelid). Over the photo, lids and lips only squeeze or stretch their triangles.
    /// A shut mouth's inner lips lie on one line, which would leave nothing between them to stretch, so for the
    /// triangulation alone the inner lower lip is moved a little below the upper.
    /// </summary>
    private int[] Triangles(ReadOnlySpan<float> from)
    {
        from.CopyTo(_topology);
        var topology = _topology.AsSpan(0, from.Length);
        var (dx, dy) = (from[2 * 8] - from[2 * 27], from[(2 * 8) + 1] - from[(2 * 27) + 1]);
        var length = MathF.Max(1e-3f, MathF.Sqrt((dx * dx) + (dy * dy)));
        var mouthWidth = MathF.Sqrt(MathF.Pow(from[2 * 54] - from[2 * 48], 2) + MathF.Pow(from[(2 * 54) + 1] - from[(2 * 48) + 1], 2));
        var gap = InnerGapShare * mouthWidth;
        foreach (var (lower, upper) in InnerLips)
        {
            var (ux, uy) = (from[2 * upper], from[(2 * upper) + 1]);
            var below = ((from[2 * lower] - ux) * dx / length) + ((from[(2 * lower) + 1] - uy) * dy / length);
            if (below < gap)
            {
                topology[2 * lower] = ux + (gap * dx / length);
                topology[(2 * lower) + 1] = uy + (gap * dy / length);
            }
        }

        return Delaunay.Triangulate(topology);
    }

    private void Set(ref int n, double fromX, double fromY, double toX, double toY)
    {
        (_from[n], _from[n + 1]) = ((float)fromX, (float)fromY);
        (_to[n], _to[n + 1]) = ((float)toX, (float)toY);
        n += 2;
    }

    /// <summary>The head's ellipse in the photo: centre, unit chin-to-crown axis and the two radii, in pixels.</summary>
    internal static (double Cx, double Cy, double Ux, double Uy, double Along, double Across) HeadEllipse(ReadOnlySpan<float> face)
    {
        var (bx, by) = (face[2 * 27], face[(2 * 27) + 1]);
        var (chinX, chinY) = (face[2 * 8], face[(2 * 8) + 1]);
        var d = Math.Max(1.0, Math.Sqrt(((bx - chinX) * (bx - chinX)) + ((by - chinY) * (by - chinY))));
        var (ux, uy) = ((bx - chinX) / d, (by - chinY) / d);
        var width = Math.Sqrt(Math.Pow(face[2 * 16] - face[0], 2) + Math.Pow(face[(2 * 16) + 1] - face[1], 2));
        return (bx + (ux * CentreAboveBridge * d), by + (uy * CentreAboveBridge * d), ux, uy, RadiusAlong * d, Math.Max(RadiusAcross * width, 0.5 * d));
    }
}
