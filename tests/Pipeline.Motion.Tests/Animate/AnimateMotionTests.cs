using Pipeline.FaceGeometry;
using Pipeline.Motion.Animate;
using Pipeline.Motion.Prediction;
using Pipeline.Motion.Stage;

namespace Pipeline.Motion.Tests.Animate;

public sealed class AnimateMotionTests
{
    private const double Fps = 25;

    private static float[] Photo()
    {
        var face = new float[Landmarks68.FloatCount];
        for (var p = 0; p < 68; p++)
        {
            face[2 * p] = (90 * CanonicalFace.Points[2 * p]) + 320;
            face[(2 * p) + 1] = (90 * CanonicalFace.Points[(2 * p) + 1]) + 200;
        }

        return face;
    }

    // Syllables: 0.2 s open vowels (viseme "aa", energy falling over each) between 0.4 s of silence, for 6 s.
    private static SpeechTrack Speech(int frames = 150)
    {
        var visemes = new float[frames * MotionFeatures.VisemeColumns];
        var energy = new float[frames];
        var vad = new byte[frames];
        for (var f = 0; f < frames; f++)
        {
            var voiced = f % 15 < 5;
            energy[f] = voiced ? -20f - (4 * (f % 15)) : -70f;
            vad[f] = (byte)(voiced ? 1 : 0);
            visemes[(f * MotionFeatures.VisemeColumns) + (voiced ? 10 : 0)] = 1f;
        }

        return new SpeechTrack(frames, visemes, new float[frames * MotionFeatures.MfccColumns], energy, vad);
    }

    [Fact]
    public void The_same_seed_gives_the_same_face_and_another_seed_another_head_motion()
    {
        var a = AnimateMotion.Run(Photo(), 640, 480, Speech(), [], Fps, PoseStyle.Neutral, 1);
        var b = AnimateMotion.Run(Photo(), 640, 480, Speech(), [], Fps, PoseStyle.Neutral, 1);
        var c = AnimateMotion.Run(Photo(), 640, 480, Speech(), [], Fps, PoseStyle.Neutral, 2);

        Assert.Equal(a.Motion.Landmarks, b.Motion.Landmarks);
        Assert.NotEqual(a.Pose, c.Pose);
        Assert.NotEqual(a.Motion.Landmarks, c.Motion.Landmarks);
    }

    [Fact]
    public void The_mouth_opens_with_loudness_and_closes_in_silence()
    {
        var speech = Speech();
        var result = AnimateMotion.Run(Photo(), 640, 480, speech, [], Fps, PoseStyle.Calm, 0).Motion;

        var opening = Enumerable.Range(0, result.Frames).Select(f => LoudnessJaw.Opening(result.Landmarks.AsSpan(f * 136, 136))).ToArray();
        var voiced = opening.Where((_, f) => f % 15 is 1 or 2).Average();
        var silent = opening.Where((_, f) => f % 15 is >= 9 and <= 12).Average();
        Assert.True(voiced > 3 * silent + 1, $"voiced opening {voiced:F2} px, silent {silent:F2} px");

        // Louder syllable starts open wider than their quieter ends.
        var loud = opening.Where((_, f) => f % 15 == 1).Average();
        var quiet = opening.Where((_, f) => f % 15 == 3).Average();
        Assert.True(loud > quiet, $"loud {loud:F2} px, quiet {quiet:F2} px");
    }

    [Fact]
    public void Without_loudness_the_jaw_is_left_as_the_visemes_put_it()
    {
        var faces = new float[3 * 136];
        for (var f = 0; f < 3; f++)
        {
            Photo().CopyTo(faces.AsSpan(f * 136));
        }

        var before = faces.ToArray();
        LoudnessJaw.Apply(faces, 3, [float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity], Fps, Photo());

        Assert.Equal(before, faces);
    }
}
