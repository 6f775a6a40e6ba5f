using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Animate;

/// <summary>
/// Makes a photo's mouth open with the loudness of the speech: the generic model's visemes give each sound its shape
/// and timing, but from phones alone a stressed vowel opens no wider than an unstressed one, and the viseme
/// recogniser's timing wobbles by a frame or two. Speakers open the jaw with vocal effort, so the opening of every
/// frame becomes the geometric mean of the viseme opening and an opening proportional to the speech envelope.
/// </summary>
/// <remarks>
/// A geometric mean keeps both kinds of closure: silence (no energy) and a bilabial (a viseme that closes the lips
/// while the voice goes on) both close the mouth. The envelope is linear RMS amplitude smoothed over about 0.1 s (the
/// jaw is a slow articulator), scaled so the loud end of the speech (its 95th percentile) opens as wide as the
/// widest visemes do. The change is applied as a jaw drop: the lower lip and chin move along the face's vertical, the
/// corners a little, so the face keeps its shape.
/// </remarks>
public static class LoudnessJaw
{
    private const int Face = Landmarks68.FloatCount;

    /// <summary>Share of the final opening's log taken from the visemes; the rest follows loudness.</summary>
    public const double VisemeShare = 0.4;

    /// <summary>Smoothing of the loudness envelope, in seconds (a centred moving average).</summary>
    public const double EnvelopeSeconds = 0.1;

    // Points of the jaw drop and how much of it each takes: lower lip in full, the corners a quarter, the chin in
    // full and the jaw line less and less towards the ears.
    private static readonly (int Point, float Share)[] Drop =
    [
        (65, 1f), (66, 1f), (67, 1f), (56, 1f), (57, 1f), (58, 1f), (55, 0.7f), (59, 0.7f),
        (48, 0.25f), (54, 0.25f), (60, 0.25f), (64, 0.25f),
        (8, 1f), (7, 0.85f), (9, 0.85f), (6, 0.6f), (10, 0.6f), (5, 0.35f), (11, 0.35f), (4, 0.15f), (12, 0.15f),
    ];

    /// <param name="landmarks">[frames, 136] faces in the photo's pixels; changed in place.</param>
    /// <param name="frames">Frames to change.</param>
    /// <param name="energyDbfs">Per-frame speech energy in dBFS.</param>
    /// <param name="fps">The frame clock.</param>
    /// <param name="photo">The photo's face: its nose-bridge-to-chin line gives the jaw's direction.</param>
    public static void Apply(Span<float> landmarks, int frames, ReadOnlySpan<float> energyDbfs, double fps, ReadOnlySpan<float> photo)
    {
        if (frames == 0)
        {
            return;
        }

        var envelope = Envelope(energyDbfs[..frames], fps);
        var opening = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            opening[f] = Opening(landmarks.Slice(f * Face, Face));
        }

        var loud = Percentile(envelope, 0.95);
        var wide = Percentile(opening, 0.95);
        if (loud <= 0 || wide <= 0)
        {
            return;
        }

        var (dx, dy) = (photo[2 * 8] - photo[2 * 27], photo[(2 * 8) + 1] - photo[(2 * 27) + 1]);
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        if (length < 1e-6)
        {
            return;
        }

        var (ux, uy) = (dx / length, dy / length);
        for (var f = 0; f < frames; f++)
        {
            var fromLoudness = wide * Math.Min(1.2, envelope[f] / loud);
            var target = Math.Pow(Math.Max(0, opening[f]), VisemeShare) * Math.Pow(Math.Max(0, fromLoudness), 1 - VisemeShare);
            var delta = target - opening[f];
            var face = landmarks.Slice(f * Face, Face);
            foreach (var (point, share) in Drop)
            {
                face[2 * point] += (float)(share * delta * ux);
                face[(2 * point) + 1] += (float)(share * delta * uy);
            }
        }
    }

    /// <summary>Mean gap between the inner lips (61-67, 62-66, 63-65), in the face's pixels.</summary>
    public static double Opening(ReadOnlySpan<float> face) =>
        (Distance(face, 61, 67) + Distance(face, 62, 66) + Distance(face, 63, 65)) / 3;

    /// <summary>Linear RMS amplitude, a centred moving average over <see cref="EnvelopeSeconds"/>.</summary>
    internal static double[] Envelope(ReadOnlySpan<float> energyDbfs, double fps)
    {
        var n = energyDbfs.Length;
        var amplitude = new double[n];
        for (var f = 0; f < n; f++)
        {
            amplitude[f] = float.IsFinite(energyDbfs[f]) ? Math.Pow(10, energyDbfs[f] / 20.0) : 0;
        }

        var half = Math.Max(1, (int)Math.Round(EnvelopeSeconds * fps / 2));
        var envelope = new double[n];
        for (var f = 0; f < n; f++)
        {
            var (from, to) = (Math.Max(0, f - half), Math.Min(n - 1, f + half));
            var sum = 0.0;
            for (var k = from; k <= to; k++)
            {
                sum += amplitude[k];
            }

            envelope[f] = sum / (to - from + 1);
        }

        return envelope;
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Round(p * (sorted.Length - 1)))];
    }

    private static double Distance(ReadOnlySpan<float> face, int a, int b)
    {
        var (dx, dy) = (face[2 * a] - face[2 * b], face[(2 * a) + 1] - face[(2 * b) + 1]);
        return Math.Sqrt((dx * dx) + (dy * dy));
    }
}
