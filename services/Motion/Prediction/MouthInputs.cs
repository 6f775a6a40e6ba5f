using Pipeline.FaceGeometry;

namespace Pipeline.Motion.Prediction;

/// <summary>
/// Everything the dub-mode mouth model may read for one frame, in three column blocks (one row per frame):
/// <list type="number">
/// <item><b>head</b> (26): the canonical-frame positions of the nose and eye corners. The canonical frame removes
/// a similarity (position, scale, roll), so what is left of these points is the out-of-plane pose (yaw, pitch)
/// and with it how the mouth appears shifted and foreshortened in that frame. In dub mode these come from the
/// target's own frames, which the output keeps. Only the points the canonical alignment trusts are read: not the
/// mouth or jaw, and not the brows or eyelids either, which move with the original performance (emphasis, blinks)
/// and would carry its rhythm into a mouth that should follow the new speech.</item>
/// <item><b>generic</b> (6 × 5): the generic model's articulatory parameters (<see cref="MouthPose"/>) for frames
/// i-2..i+2: a compact, speaker-independent reading of what is said.</item>
/// <item><b>audio</b> (<see cref="MotionFeatures"/>, 210): visemes, MFCC and energy with the same context.</item>
/// </list>
/// </summary>
public sealed class MouthInputs
{
    public static int HeadColumns => 2 * HeadPoints.Length;

    public const int PoseColumns = 6;

    public const int Context = 2;

    public static int GenericColumns => PoseColumns * ((2 * Context) + 1);

    public static int AudioColumns => MotionFeatures.Dimension(Context);

    public static int Width => HeadColumns + GenericColumns + AudioColumns;

    /// <summary>Landmarks whose canonical position carries the head's out-of-plane pose: <see cref="CanonicalFace.StableIndices"/> (nose 27-35, the four eye corners).</summary>
    public static ReadOnlySpan<byte> HeadPoints => CanonicalFace.StableIndices;

    private MouthInputs(float[] rows, byte[] headKnown, float[] genericMotion, int frames)
    {
        Rows = rows;
        HeadKnown = headKnown;
        GenericMotion = genericMotion;
        Frames = frames;
    }

    /// <summary>
    /// [Frames, 58]: the generic model's mouth for each frame minus its rest shape (the target's neutral mouth):
    /// the speech-driven motion the generic model would add, which the fitted model may add at a gain of its own.
    /// </summary>
    public float[] GenericMotion { get; }

    /// <summary>[Frames, <see cref="Width"/>]: head, generic and audio columns.</summary>
    public float[] Rows { get; }

    /// <summary>1 where the frame had a tracked face to read the head block from; elsewhere that block is 0.</summary>
    public byte[] HeadKnown { get; }

    public int Frames { get; }

    /// <param name="visemes">[frames, 15] content posteriors.</param>
    /// <param name="mfcc">[frames, 39] MFCC with Δ and ΔΔ.</param>
    /// <param name="energyDbfs">[frames] RMS energy.</param>
    /// <param name="canonicalFaces">[frames, 136] tracked faces in the canonical frame (only the head points are read).</param>
    /// <param name="present">[frames] 1 where a face was tracked.</param>
    /// <param name="neutral58">The target's closed, resting mouth (<see cref="GenericMouthModel.NeutralFrom"/>).</param>
    public static MouthInputs Build(
        ReadOnlySpan<float> visemes, ReadOnlySpan<float> mfcc, ReadOnlySpan<float> energyDbfs,
        ReadOnlySpan<float> canonicalFaces, ReadOnlySpan<byte> present, int frames, double fps, ReadOnlySpan<float> neutral58)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (canonicalFaces.Length < (long)frames * Landmarks68.FloatCount || present.Length < frames)
        {
            throw new ArgumentException($"{frames} frames need {(long)frames * Landmarks68.FloatCount} face floats and {frames} presence flags", nameof(canonicalFaces));
        }

        var audio = MotionFeatures.Build(visemes, mfcc, energyDbfs, frames, Context);
        var poses = new MouthPose[frames];
        GenericMouthModel.PosesFor(visemes, frames, fps, poses);
        var generic = new GenericMouthModel(neutral58);
        var motion = new float[(long)frames * SpeechPoints.FloatCount];
        for (var i = 0; i < frames; i++)
        {
            var shape = motion.AsSpan(i * SpeechPoints.FloatCount, SpeechPoints.FloatCount);
            generic.Deform(poses[i], shape);
            for (var j = 0; j < shape.Length; j++)
            {
                shape[j] -= generic.Neutral[j];
            }
        }

        var width = Width;
        var rows = new float[(long)frames * width];
        var known = new byte[frames];
        var head = HeadPoints;
        for (var i = 0; i < frames; i++)
        {
            var row = rows.AsSpan(i * width, width);
            var face = canonicalFaces.Slice(i * Landmarks68.FloatCount, Landmarks68.FloatCount);
            if (present[i] != 0 && HeadFinite(face))
            {
                for (var p = 0; p < head.Length; p++)
                {
                    row[2 * p] = face[2 * head[p]];
                    row[(2 * p) + 1] = face[(2 * head[p]) + 1];
                }

                known[i] = 1;
            }

            var articulation = row.Slice(HeadColumns, GenericColumns);
            for (var w = 0; w <= 2 * Context; w++)
            {
                var p = poses[Math.Clamp(i - Context + w, 0, frames - 1)];
                var g = articulation.Slice(w * PoseColumns, PoseColumns);
                g[0] = p.JawDrop;
                g[1] = p.LipOpening;
                g[2] = p.Width;
                g[3] = p.Rounding;
                g[4] = p.UpperLipRaise;
                g[5] = p.Closure;
            }

            audio.AsSpan(i * AudioColumns, AudioColumns).CopyTo(row[(HeadColumns + GenericColumns)..]);
        }

        return new MouthInputs(rows, known, motion, frames);
    }

    private static bool HeadFinite(ReadOnlySpan<float> face)
    {
        foreach (var p in HeadPoints)
        {
            if (!float.IsFinite(face[2 * p]) || !float.IsFinite(face[(2 * p) + 1]))
            {
                return false;
            }
        }

        return true;
    }
}
