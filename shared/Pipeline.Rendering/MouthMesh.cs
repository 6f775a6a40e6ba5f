using Pipeline.FaceGeometry;

namespace Pipeline.Rendering;

/// <summary>
/// The region the exemplar backend replaces: the 20 mouth points and a ring of 12 points pushed out from the outer
/// lip by a share of the mouth's width (less under the nose, so the ring never climbs into it). The same construction
/// on an exemplar's landmarks and on the predicted ones gives matching meshes, so the warp carries lips, teeth and the
/// skin just around them, and nothing else.
/// </summary>
public static class MouthMesh
{
    /// <summary>Mouth points 48-67, then the ring: one point outside each outer-lip point 48-59.</summary>
    public const int PointCount = 32;

    /// <summary>Points 0..19 of the mesh are the lips and mouth interior; a triangle using only those is "inner".</summary>
    public const int MouthPoints = 20;

    /// <summary>How far the ring sits outside the outer lip, as a share of the mouth's width (corner to corner).</summary>
    public const float RingShare = 0.3f;

    /// <summary>Upper-lip ring points stop short of the nose base: at most this share of the way there.</summary>
    private const float NoseShare = 0.6f;

    /// <summary>Writes the mesh (<see cref="PointCount"/> interleaved x, y) of a 68-point face and returns the mouth's width.</summary>
    public static float Build(ReadOnlySpan<float> face, Span<float> points)
    {
        if (face.Length < Landmarks68.FloatCount)
        {
            throw new ArgumentException($"a face is {Landmarks68.FloatCount} floats", nameof(face));
        }

        if (points.Length < 2 * PointCount)
        {
            throw new ArgumentException($"the mesh needs {2 * PointCount} floats", nameof(points));
        }

        for (var i = 0; i < MouthPoints; i++)
        {
            points[2 * i] = face[2 * (48 + i)];
            points[(2 * i) + 1] = face[(2 * (48 + i)) + 1];
        }

        float cx = 0, cy = 0;
        for (var p = 48; p <= 59; p++)
        {
            cx += face[2 * p];
            cy += face[(2 * p) + 1];
        }

        (cx, cy) = (cx / 12, cy / 12);
        var width = MathF.Max(1f, Distance(face, 48, 54));
        var margin = RingShare * width;
        var (noseX, noseY) = (face[2 * 33], face[(2 * 33) + 1]);
        for (var p = 48; p <= 59; p++)
        {
            var (x, y) = (face[2 * p], face[(2 * p) + 1]);
            var (dx, dy) = (x - cx, y - cy);
            var length = MathF.Max(1e-3f, MathF.Sqrt((dx * dx) + (dy * dy)));
            var reach = margin;
            if (p is >= 49 and <= 53)
            {
                var toNose = MathF.Sqrt(((noseX - x) * (noseX - x)) + ((noseY - y) * (noseY - y)));
                reach = MathF.Min(reach, NoseShare * toNose);
            }

            var n = MouthPoints + (p - 48);
            points[2 * n] = x + (dx / length * reach);
            points[(2 * n) + 1] = y + (dy / length * reach);
        }

        return width;
    }

    /// <summary>Splits triangles into the lips-and-interior ones and the band between the lips and the ring.</summary>
    public static (int[] Inner, int[] Band) Split(ReadOnlySpan<int> triangles)
    {
        var inner = new List<int>(triangles.Length);
        var band = new List<int>(triangles.Length);
        for (var t = 0; t < triangles.Length; t += 3)
        {
            var target = triangles[t] < MouthPoints && triangles[t + 1] < MouthPoints && triangles[t + 2] < MouthPoints ? inner : band;
            target.Add(triangles[t]);
            target.Add(triangles[t + 1]);
            target.Add(triangles[t + 2]);
        }

        return (inner.ToArray(), band.ToArray());
    }

    private static float Distance(ReadOnlySpan<float> face, int a, int b)
    {
        var (dx, dy) = (face[2 * a] - face[2 * b], face[(2 * a) + 1] - face[(2 * b) + 1]);
        return MathF.Sqrt((dx * dx) + (dy * dy));
    }
}
