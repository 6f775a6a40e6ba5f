using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Prediction;

/// <summary>
/// The landmarks that speech moves: the lower jaw contour 4-12 (it carries the mandible, and so the lower lip)
/// and the whole mouth 48-67: 29 points, 58 interleaved floats. Motion models predict only these; the rest of
/// the face comes from the tracked frame. The same split as <see cref="OneEuroParameters.IsSpeechDriven"/>.
/// </summary>
public static class SpeechPoints
{
    public const int Count = 29;

    public const int FloatCount = 2 * Count;

    /// <summary>Landmark numbers in slot order: slot s holds landmark Indices[s] at floats 2s, 2s+1.</summary>
    public static ReadOnlySpan<int> Indices =>
    [
        4, 5, 6, 7, 8, 9, 10, 11, 12,
        48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
        60, 61, 62, 63, 64, 65, 66, 67,
    ];

    /// <summary>The slot of a speech-driven landmark (its position in <see cref="Indices"/>), or -1.</summary>
    public static int Slot(int landmark) => landmark switch
    {
        >= 4 and <= 12 => landmark - 4,
        >= 48 and <= 67 => landmark - 48 + 9,
        _ => -1,
    };

    /// <summary>Copies the 29 speech points of a 68-point face into 58 floats.</summary>
    public static void Gather(ReadOnlySpan<float> face136, Span<float> out58)
    {
        RequireFace(face136.Length, nameof(face136));
        RequireLength(out58.Length, nameof(out58));
        var idx = Indices;
        for (var s = 0; s < Count; s++)
        {
            out58[2 * s] = face136[2 * idx[s]];
            out58[2 * s + 1] = face136[2 * idx[s] + 1];
        }
    }

    /// <summary>Writes 58 speech-point floats into their places in a 68-point face; the other 39 points are left as they are.</summary>
    public static void Scatter(ReadOnlySpan<float> in58, Span<float> face136)
    {
        RequireLength(in58.Length, nameof(in58));
        RequireFace(face136.Length, nameof(face136));
        var idx = Indices;
        for (var s = 0; s < Count; s++)
        {
            face136[2 * idx[s]] = in58[2 * s];
            face136[2 * idx[s] + 1] = in58[2 * s + 1];
        }
    }

    /// <summary>
    /// Seals the lips of a speech-point shape in place: each inner-lip pair (61/67, 62/66, 63/65) meets at its
    /// midpoint. A person's "closed" frames still show a small tracked gap, and a pause should close fully.
    /// </summary>
    public static void CloseLips(Span<float> shape58)
    {
        RequireLength(shape58.Length, nameof(shape58));
        foreach (var (upper, lower) in new (int, int)[] { (61, 67), (62, 66), (63, 65) })
        {
            var u = 2 * Slot(upper);
            var l = 2 * Slot(lower);
            var mx = 0.5f * (shape58[u] + shape58[l]);
            var my = 0.5f * (shape58[u + 1] + shape58[l + 1]);
            shape58[u] = shape58[l] = mx;
            shape58[u + 1] = shape58[l + 1] = my;
        }
    }

    /// <summary>The speech points of <see cref="CanonicalFace.Points"/>: the mouth at rest of the average face.</summary>
    public static float[] Canonical()
    {
        var result = new float[FloatCount];
        Gather(CanonicalFace.Points, result);
        return result;
    }

    private static void RequireFace(int length, string name)
    {
        if (length < Landmarks68.FloatCount)
        {
            throw new ArgumentException($"a face needs {Landmarks68.FloatCount} floats (68 interleaved x,y), got {length}", name);
        }
    }

    private static void RequireLength(int length, string name)
    {
        if (length < FloatCount)
        {
            throw new ArgumentException($"speech points need {FloatCount} floats (29 interleaved x,y), got {length}", name);
        }
    }
}
