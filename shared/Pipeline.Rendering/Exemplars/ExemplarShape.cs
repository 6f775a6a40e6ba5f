using Pipeline.FaceGeometry;

namespace Pipeline.Rendering.Exemplars;

/// <summary>
/// What the exemplar backend compares mouths by: the canonical (pose-normalised) mouth 48-67 at full weight and the
/// lower jaw 5-11 at half, so an exemplar is picked for its lips and teeth first and its chin second.
/// </summary>
public static class ExemplarShape
{
    private const int FirstJaw = 5;
    private const int LastJaw = 11;
    private const float JawWeight = 0.5f;

    public const int Length = 2 * (20 + (LastJaw - FirstJaw + 1));

    /// <summary>Writes the shape of a face given in pixels (it is put into the canonical frame first).</summary>
    public static void OfPixels(ReadOnlySpan<float> face, Span<float> shape)
    {
        Span<float> canonical = stackalloc float[Landmarks68.FloatCount];
        CanonicalFace.Normalise(face, canonical);
        OfCanonical(canonical, shape);
    }

    public static void OfCanonical(ReadOnlySpan<float> canonical, Span<float> shape)
    {
        if (canonical.Length < Landmarks68.FloatCount)
        {
            throw new ArgumentException($"a face is {Landmarks68.FloatCount} floats", nameof(canonical));
        }

        var n = 0;
        for (var p = 48; p <= 67; p++)
        {
            shape[n++] = canonical[2 * p];
            shape[n++] = canonical[(2 * p) + 1];
        }

        for (var p = FirstJaw; p <= LastJaw; p++)
        {
            shape[n++] = JawWeight * canonical[2 * p];
            shape[n++] = JawWeight * canonical[(2 * p) + 1];
        }
    }

    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }
}
