using Pipeline.Contracts.Jobs;
using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Prediction;

/// <summary>
/// Expression as landmark displacements in the canonical frame (inter-ocular units, y down): one 136-float
/// offset per emotion class, mixed by the class probabilities and scaled by intensity.
/// </summary>
/// <remarks>
/// The offsets are hand-set, not learnt: each class moves the points that its prototypical FACS action units
/// move (Ekman and Friesen's EMFACS prototypes), by amounts chosen to be clearly visible at intensity 1 yet
/// stay inside what a face does:
/// <list type="bullet">
/// <item>happy: AU6 cheek raiser (lower lids up, cheeks out) + AU12 lip corner puller (corners up 0.05, out 0.03);</item>
/// <item>sad: AU1 inner brow raiser (21, 22 up 0.03) + AU4 + AU15 lip corner depressor (corners down 0.04);</item>
/// <item>surprised: AU1+2 brow raisers (17-26 up 0.08) + AU5 upper lid raiser (up 0.02) + AU26 jaw drop (0.10);</item>
/// <item>fearful: AU1+2+4 (brows up and drawn together) + AU5 + AU20 lip stretcher (corners out 0.04);</item>
/// <item>disgusted: AU9 nose wrinkler + AU10 upper lip raiser (up 0.04) + AU4 brow lowerer;</item>
/// <item>angry: AU4 brow lowerer (inner brows down 0.05, together 0.02) + AU5 + AU7 lid tightener + AU23/24 lip pressor;</item>
/// <item>contempt: AU14 dimpler on one side (the subject's left corner, 54/64: up 0.03, out 0.02);</item>
/// <item>neutral: zero.</item>
/// </list>
/// Class order is <see cref="EmotionLabel"/>'s, the column order of the emotion vector (8 probabilities, then
/// intensity, arousal, valence; see Pipeline.Encoding.Emotion.EmotionVector). Arousal and valence are not used
/// here: the class mix already carries them.
/// </remarks>
public static class EmotionOffsets
{
    public const int Classes = 8;

    /// <summary>Column of the intensity in an emotion row.</summary>
    public const int IntensityColumn = 8;

    public const int RowLength = 11;

    private const int Dim = Landmarks68.FloatCount;

    private static readonly float[] Table = BuildTable();

    /// <summary>The displacement of one class at full intensity (136 floats).</summary>
    public static ReadOnlySpan<float> Offset(EmotionLabel label)
    {
        var c = (int)label;
        if (c < 0 || c >= Classes)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, null);
        }

        return Table.AsSpan(c * Dim, Dim);
    }

    /// <summary>
    /// Adds Σ_c p_c · intensity · offset_c to a canonical face in place. Intensity (clamped to 0..1) of 0, or no
    /// probability on a non-neutral class, leaves the face bit-identical.
    /// </summary>
    public static void Apply(Span<float> face136, ReadOnlySpan<float> emotion11)
    {
        if (face136.Length < Dim)
        {
            throw new ArgumentException($"a face needs {Dim} floats, got {face136.Length}", nameof(face136));
        }

        if (emotion11.Length < RowLength)
        {
            throw new ArgumentException($"an emotion row has {RowLength} floats, got {emotion11.Length}", nameof(emotion11));
        }

        var intensity = emotion11[IntensityColumn];
        if (!(intensity > 0))
        {
            return; // 0, negative or NaN: no expression, and the input must come back exactly
        }

        intensity = MathF.Min(intensity, 1f);
        for (var c = 1; c < Classes; c++)
        {
            var p = emotion11[c];
            if (!(p > 0))
            {
                continue;
            }

            var w = MathF.Min(p, 1f) * intensity;
            var offset = Table.AsSpan(c * Dim, Dim);
            for (var j = 0; j < Dim; j++)
            {
                if (offset[j] != 0)
                {
                    face136[j] += w * offset[j];
                }
            }
        }
    }

    private static float[] BuildTable()
    {
        var t = new float[Classes * Dim];

        // Happy: AU12 pulls the corners up and out, AU6 lifts the cheeks and with them the lower lids.
        var happy = Slot(t, EmotionLabel.Happy);
        Outward(happy, 0.03f, -0.05f, 48, 54, 60, 64);
        Outward(happy, 0.012f, -0.02f, 49, 53, 61, 63);
        Outward(happy, 0.012f, -0.015f, 59, 55, 67, 65);
        Move(happy, 0, -0.015f, 40, 41, 46, 47);
        Outward(happy, 0.008f, -0.008f, 2, 3, 13, 14);

        // Sad: AU15 turns the corners down, AU1 (+AU4) lifts and knits the inner brows, lids droop a little.
        var sad = Slot(t, EmotionLabel.Sad);
        Move(sad, 0, 0.04f, 48, 54, 60, 64);
        Move(sad, 0, 0.02f, 59, 55, 67, 65);
        Move(sad, 0, 0.015f, 49, 53);
        Outward(sad, -0.01f, -0.03f, 21, 22);
        Move(sad, 0, -0.015f, 20, 23);
        Move(sad, 0, 0.01f, 17, 26);
        Move(sad, 0, 0.008f, 37, 38, 43, 44);

        // Surprised: AU1+2 raise the whole brows, AU5 the upper lids, AU26 drops the jaw (a rounded, open mouth).
        var surprised = Slot(t, EmotionLabel.Surprised);
        Move(surprised, 0, -0.08f, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26);
        Move(surprised, 0, -0.02f, 37, 38, 43, 44);
        Move(surprised, 0, 0.10f, 7, 8, 9, 56, 57, 58, 65, 66, 67);
        Move(surprised, 0, 0.085f, 6, 10);
        Move(surprised, 0, 0.08f, 55, 59);
        Move(surprised, 0, 0.06f, 5, 11);
        Move(surprised, 0, 0.02f, 4, 12);
        Outward(surprised, -0.015f, 0.04f, 48, 54, 60, 64);

        // Fearful: brows up (AU1+2) but drawn together (AU4), lids wide (AU5), lips stretched sideways (AU20).
        var fearful = Slot(t, EmotionLabel.Fearful);
        Move(fearful, 0, -0.04f, 17, 18, 19, 24, 25, 26);
        Outward(fearful, -0.015f, -0.06f, 20, 21, 22, 23);
        Move(fearful, 0, -0.02f, 37, 38, 43, 44);
        Move(fearful, 0, -0.005f, 40, 41, 46, 47);
        Outward(fearful, 0.04f, 0.01f, 48, 54, 60, 64);
        Outward(fearful, 0.02f, 0, 49, 53, 55, 59);
        Move(fearful, 0, 0.02f, 56, 57, 58, 65, 66, 67);

        // Disgusted: AU10 raises the upper lip, AU9 wrinkles the nose (and pushes the lower lids up), AU4 lowers the brows.
        var disgusted = Slot(t, EmotionLabel.Disgusted);
        Move(disgusted, 0, -0.04f, 50, 51, 52);
        Move(disgusted, 0, -0.03f, 49, 53);
        Move(disgusted, 0, -0.035f, 61, 62, 63);
        Move(disgusted, 0, -0.02f, 31, 32, 33, 34, 35);
        Outward(disgusted, 0.01f, 0, 31, 35);
        Move(disgusted, 0, -0.01f, 29, 30);
        Move(disgusted, 0, 0.02f, 17, 18, 19, 20, 23, 24, 25, 26);
        Outward(disgusted, -0.01f, 0.02f, 21, 22);
        Move(disgusted, 0, -0.015f, 40, 41, 46, 47);
        Move(disgusted, 0, 0.01f, 48, 54);

        // Angry: AU4 pulls the inner brows down and together, AU5 stares, AU7 tightens the lower lids, AU23/24
        // press the lips into a thin line.
        var angry = Slot(t, EmotionLabel.Angry);
        Outward(angry, -0.02f, 0.05f, 21, 22);
        Outward(angry, -0.015f, 0.04f, 20, 23);
        Move(angry, 0, 0.02f, 19, 24);
        Move(angry, 0, -0.01f, 37, 38, 43, 44);
        Move(angry, 0, -0.015f, 40, 41, 46, 47);
        Move(angry, 0, 0.012f, 50, 51, 52);
        Move(angry, 0, -0.012f, 56, 57, 58);
        Move(angry, 0, 0.008f, 61, 62, 63);
        Move(angry, 0, -0.008f, 65, 66, 67);
        Outward(angry, -0.01f, 0, 48, 54, 60, 64);

        // Contempt: AU14 tightens and lifts one corner only, the subject's left (54, 64).
        var contempt = Slot(t, EmotionLabel.Contempt);
        Outward(contempt, 0.02f, -0.03f, 54, 64);
        Outward(contempt, 0.008f, -0.012f, 53, 55, 63, 65);

        return t;
    }

    private static Span<float> Slot(float[] table, EmotionLabel label) => table.AsSpan((int)label * Dim, Dim);

    private static void Move(Span<float> offset, float dx, float dy, params ReadOnlySpan<int> landmarks)
    {
        foreach (var i in landmarks)
        {
            offset[2 * i] += dx;
            offset[(2 * i) + 1] += dy;
        }
    }

    /// <summary>Moves points away from the face's midline by <paramref name="outward"/> (negative: towards it).</summary>
    private static void Outward(Span<float> offset, float outward, float dy, params ReadOnlySpan<int> landmarks)
    {
        foreach (var i in landmarks)
        {
            var side = MathF.Sign(CanonicalFace.Points[2 * i]);
            offset[2 * i] += side * outward;
            offset[(2 * i) + 1] += dy;
        }
    }
}
