using Pipeline.FaceGeometry;
using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

public sealed class GenericMouthModelTests
{
    private const int Sil = 0, PP = 1, Aa = 10, U = 14;

    [Fact]
    public void Bilabial_frames_close_the_lips_and_open_vowels_open_them()
    {
        var model = new GenericMouthModel(SpeechPoints.Canonical());
        var visemes = OneHot([.. Repeat(Sil, 10), .. Repeat(PP, 10), .. Repeat(Sil, 10), .. Repeat(Aa, 10), .. Repeat(Sil, 10)]);
        var shapes = new float[50 * 58];
        model.Predict(visemes, 50, 25, shapes);

        var pp = Geometry.InnerGap(shapes.AsSpan(15 * 58, 58));
        var aa = Geometry.InnerGap(shapes.AsSpan(35 * 58, 58));
        var rest = Geometry.InnerGap(SpeechPoints.Canonical());
        Assert.InRange(pp, -1e-4f, 0.005f);
        Assert.True(aa > rest + 0.12f, $"aa gap {aa}");
        Assert.True(Geometry.Y(shapes.AsSpan(35 * 58, 58), 8) > Geometry.Y(SpeechPoints.Canonical(), 8) + 0.1f, "the chin drops for aa");
    }

    [Fact]
    public void A_single_bilabial_frame_between_open_vowels_still_closes()
    {
        var model = new GenericMouthModel(SpeechPoints.Canonical());
        var visemes = OneHot([.. Repeat(Aa, 10), PP, .. Repeat(Aa, 10)]);
        var shapes = new float[21 * 58];
        model.Predict(visemes, 21, 25, shapes);

        var open = Geometry.InnerGap(shapes.AsSpan(3 * 58, 58));
        var closure = Geometry.InnerGap(shapes.AsSpan(10 * 58, 58));
        Assert.True(open > 0.2f, $"open {open}");
        Assert.InRange(closure, -1e-4f, 0.1f * open);

        // ...and its neighbours are on the way there: no one-frame snap from fully open.
        var before = Geometry.InnerGap(shapes.AsSpan(9 * 58, 58));
        Assert.InRange(before, closure, 0.8f * open);
    }

    [Fact]
    public void Silence_everywhere_gives_exactly_the_neutral_mouth()
    {
        var neutral = SpeechPoints.Canonical();
        neutral[2 * SpeechPoints.Slot(57) + 1] += 0.01f; // any target, not just the canonical one
        var model = new GenericMouthModel(neutral);
        var n = 30;
        var visemes = OneHot(Repeat(Sil, n));
        visemes.AsSpan(5 * 15, 15).Clear(); // an all-zero row counts as silence too
        var shapes = new float[n * 58];
        model.Predict(visemes, n, 30, shapes);

        for (var t = 0; t < n; t++)
        {
            Assert.Equal(neutral, shapes.AsSpan(t * 58, 58).ToArray());
        }
    }

    [Fact]
    public void Rounded_vowels_narrow_the_mouth_and_poses_scale_with_the_target()
    {
        var small = SpeechPoints.Canonical();
        for (var j = 0; j < 58; j++)
        {
            small[j] *= 0.8f;
        }

        var big = new GenericMouthModel(SpeechPoints.Canonical());
        var little = new GenericMouthModel(small);
        var a = new float[58];
        var b = new float[58];
        var pose = GenericMouthModel.KeyPoses[U];
        big.Deform(pose, a);
        little.Deform(pose, b);

        static float Width(ReadOnlySpan<float> s) => Geometry.X(s, 54) - Geometry.X(s, 48);
        Assert.True(Width(a) < 0.85f * Width(SpeechPoints.Canonical()));
        var dropBig = Geometry.Y(a, 8) - Geometry.Y(SpeechPoints.Canonical(), 8);
        var dropLittle = Geometry.Y(b, 8) - Geometry.Y(small, 8);
        Assert.Equal(0.8f * dropBig, dropLittle, 1e-4f);
    }

    [Fact]
    public void Fifteen_key_poses_in_viseme_order()
    {
        Assert.Equal(15, GenericMouthModel.KeyPoses.Count);
        Assert.Equal(default, GenericMouthModel.KeyPoses[Sil]);
        Assert.Equal(1f, GenericMouthModel.KeyPoses[PP].Closure);
        Assert.Equal(GenericMouthModel.KeyPoses.Max(p => p.JawDrop), GenericMouthModel.KeyPoses[Aa].JawDrop);
        Assert.Equal(GenericMouthModel.KeyPoses.Max(p => p.Rounding), GenericMouthModel.KeyPoses[U].Rounding);
    }

    [Fact]
    public void Neutral_is_the_mean_of_silent_closed_frames_or_else_the_least_open_fifth()
    {
        // 20 frames with openings 0, 0.05, ..., 0.95 in shuffled order.
        const int n = 20;
        var openings = Enumerable.Range(0, n).Select(i => (i * 7 % n) * 0.05f).ToArray();
        var faces = new float[n * 136];
        for (var i = 0; i < n; i++)
        {
            SyntheticTalk.WriteFace(openings[i], 0, faces.AsSpan(i * 136, 136));
        }

        int FrameOf(float o) => Array.FindIndex(openings, v => MathF.Abs(v - o) < 1e-4f);
        var usable = Enumerable.Repeat((byte)1, n).ToArray();

        // Silent frames: three closed ones (0.05, 0.1, 0.15: within the least-open 20%) and two open ones (a breath
        // at 0.5, a pause before a word at 0.9). Only the closed silent frames make the neutral: mean opening 0.1.
        var silent = new byte[n];
        foreach (var o in new[] { 0.05f, 0.1f, 0.15f, 0.5f, 0.9f })
        {
            silent[FrameOf(o)] = 1;
        }

        AssertShapeOfOpening(0.1f, GenericMouthModel.NeutralFrom(faces, usable, silent, n));

        // Fewer than three closed silent frames: the least-open fifth of the usable frames (0 is not usable).
        silent[FrameOf(0.15f)] = 0;
        usable[FrameOf(0f)] = 0;
        AssertShapeOfOpening((0.05f + 0.1f + 0.15f + 0.2f) / 4, GenericMouthModel.NeutralFrom(faces, usable, silent, n));
        AssertShapeOfOpening((0.05f + 0.1f + 0.15f + 0.2f) / 4, GenericMouthModel.NeutralFrom(faces, usable, new byte[n], n));

        Assert.Equal(SpeechPoints.Canonical(), GenericMouthModel.NeutralFrom(faces, new byte[n], silent, n));
    }

    private static void AssertShapeOfOpening(float opening, float[] actual)
    {
        var face = new float[136];
        var expected = new float[58];
        SyntheticTalk.WriteFace(opening, 0, face);
        SpeechPoints.Gather(face, expected);
        for (var j = 0; j < 58; j++)
        {
            Assert.Equal(expected[j], actual[j], 1e-5f);
        }
    }

    private static int[] Repeat(int viseme, int count) => Enumerable.Repeat(viseme, count).ToArray();

    private static float[] OneHot(int[] sequence)
    {
        var result = new float[sequence.Length * 15];
        for (var t = 0; t < sequence.Length; t++)
        {
            result[t * 15 + sequence[t]] = 1f;
        }

        return result;
    }
}
