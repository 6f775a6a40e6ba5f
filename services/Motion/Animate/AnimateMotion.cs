using Pipeline.FaceGeometry;
using Pipeline.Motion.Prediction;
using Pipeline.Motion.Stage;

namespace Pipeline.Motion.Animate;

/// <summary>
/// Animate-mode motion: one photo's face driven by speech. The mouth comes from the generic model (a photo has no
/// footage to fit a personal one on), closed in pauses, with the emotion added, exactly as dub mode does for a target
/// without speech; its opening then follows the speech's loudness (<see cref="LoudnessJaw"/>); blinks close the lids,
/// and a seeded head-pose trajectory moves the whole face.
/// </summary>
/// <remarks>
/// The pose is applied as a displacement: each frame's points move by the difference between the photo's neutral face
/// posed with that frame's trajectory row and posed at rest. The photo's own geometry (a face already turned a little,
/// a wide or narrow face) is kept, and a zero trajectory leaves the speech-driven face exactly where the photo had it.
/// </remarks>
public static class AnimateMotion
{
    private const int Face = Landmarks68.FloatCount;

    /// <summary>Part of the motion stage's key for animate jobs: raise it when this method's output changes.</summary>
    public const int Version = 2;

    /// <param name="photo">The photo's 68 landmarks, in pixels.</param>
    /// <param name="width">Photo width (sets the camera the pose is projected through).</param>
    /// <param name="height">Photo height.</param>
    /// <param name="speech">The speech on the output clock; the output has one frame per speech frame.</param>
    /// <param name="emotion">[speech.Frames, 11] emotion rows, or empty for neutral.</param>
    /// <param name="fps">The output clock.</param>
    /// <param name="style">Head-motion style.</param>
    /// <param name="seed">The job's seed: the same seed gives the same blinks and pose.</param>
    public static AnimateResult Run(
        ReadOnlySpan<float> photo, int width, int height, SpeechTrack speech, ReadOnlySpan<float> emotion, double fps, PoseStyle style, int seed)
    {
        ArgumentNullException.ThrowIfNull(speech);
        ArgumentNullException.ThrowIfNull(style);
        if (photo.Length < Face)
        {
            throw new ArgumentException($"a face needs {Face} floats, got {photo.Length}", nameof(photo));
        }

        var n = speech.Frames;
        var single = CanonicalTrack.From(photo[..Face], [1], 1);
        var faces = new float[(long)n * Face];
        var toCanonical = new double[(long)n * 4];
        for (var i = 0; i < n; i++)
        {
            single.Faces.AsSpan(0, Face).CopyTo(faces.AsSpan(i * Face, Face));
            single.ToCanonical.AsSpan(0, 4).CopyTo(toCanonical.AsSpan(i * 4, 4));
        }

        // No footage of the person speaking: the photo is the neutral face, and the generic model drives the mouth.
        var silent = new SpeechTrack(
            n, new float[(long)n * MotionFeatures.VisemeColumns], new float[(long)n * MotionFeatures.MfccColumns],
            Enumerable.Repeat(float.NegativeInfinity, n).ToArray(), new byte[n]);
        var present = Enumerable.Repeat((byte)1, n).ToArray();
        var footage = new TargetFootage(n, fps, faces, present, toCanonical, silent);
        var mouth = DubMotion.Run(footage, speech, emotion.Length >= (long)n * EmotionOffsets.RowLength ? emotion : []);

        var landmarks = mouth.Landmarks;
        LoudnessJaw.Apply(landmarks, mouth.Frames, speech.EnergyDbfs, fps, photo);
        var blinks = BlinkSchedule.Generate(mouth.Frames, fps, seed);
        FaceAnimator.Apply(landmarks, mouth.Frames, blinks);

        var pose = PoseTrajectory.Generate(mouth.Frames, fps, style, seed, speech.EnergyDbfs.AsSpan(0, mouth.Frames));
        AddHeadMotion(landmarks, mouth.Frames, photo[..Face], single.Faces.AsSpan(0, Face), width, height, pose);
        return new AnimateResult(mouth with { Landmarks = landmarks, Model = "generic+animate" }, blinks, pose);
    }

    /// <summary>Moves every frame's face by its pose: posed neutral minus the neutral posed at rest.</summary>
    internal static void AddHeadMotion(
        Span<float> landmarks, int frames, ReadOnlySpan<float> photo, ReadOnlySpan<float> canonical, int width, int height, ReadOnlySpan<float> pose)
    {
        // The eye-corner midpoint and outer-corner distance place the posed model over the photo's face.
        var (lx, ly, rx, ry) = (photo[2 * 36], photo[(2 * 36) + 1], photo[2 * 45], photo[(2 * 45) + 1]);
        var interOcular = Math.Max(1.0, Math.Sqrt(((rx - lx) * (rx - lx)) + ((ry - ly) * (ry - ly))));
        var faceWidth = interOcular * FaceAnimator.FaceWidthInInterOculars;
        var (cx, cy) = ((lx + rx) / 2.0, (ly + ry) / 2.0);

        Span<float> rest = stackalloc float[Face];
        Span<float> posed = stackalloc float[Face];
        Span<float> still = stackalloc float[PoseTrajectory.Channels];
        still.Clear();
        still[PoseTrajectory.Scale] = 1f;
        FaceAnimator.Pose(canonical, still, width, height, faceWidth, cx, cy, rest);
        for (var f = 0; f < frames; f++)
        {
            FaceAnimator.Pose(canonical, pose.Slice(f * PoseTrajectory.Channels, PoseTrajectory.Channels), width, height, faceWidth, cx, cy, posed);
            var face = landmarks.Slice(f * Face, Face);
            for (var k = 0; k < Face; k++)
            {
                face[k] += posed[k] - rest[k];
            }
        }
    }
}

/// <summary>The animated face per frame (pixels), with the blink closure and pose rows that made it.</summary>
public sealed record AnimateResult(MotionResult Motion, float[] Blinks, float[] Pose);
