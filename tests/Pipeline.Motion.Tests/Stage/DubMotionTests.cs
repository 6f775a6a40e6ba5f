using Pipeline.FaceGeometry;
using Pipeline.Motion.Stage;
using Pipeline.Motion.Tests.Prediction;

namespace Pipeline.Motion.Tests.Stage;

public sealed class DubMotionTests
{
    // Synthetic footage: canonical faces placed in pixels by one similarity (scale 100, offset 300, 200).
    private static TargetFootage Footage(SyntheticTalk talk, int soundFrames)
    {
        var toCanonical = new double[talk.Frames * 4];
        var pixelsToCanonical = new SimilarityTransform(0.01, 0, -3, -2);
        for (var f = 0; f < talk.Frames; f++)
        {
            (toCanonical[4 * f], toCanonical[(4 * f) + 1], toCanonical[(4 * f) + 2], toCanonical[(4 * f) + 3]) =
                (pixelsToCanonical.A, pixelsToCanonical.B, pixelsToCanonical.Tx, pixelsToCanonical.Ty);
        }

        return new TargetFootage(talk.Frames, SyntheticTalk.Fps, talk.Shapes, talk.Usable, toCanonical, Speech(talk, soundFrames));
    }

    // The talk's own sound, cut short or run on past the pictures by repeating its last frame.
    private static SpeechTrack Speech(SyntheticTalk talk, int frames)
    {
        static T[] Resize<T>(T[] source, int perFrame, int frames)
        {
            var result = new T[frames * perFrame];
            for (var f = 0; f < frames; f++)
            {
                var from = Math.Min(f, (source.Length / perFrame) - 1);
                Array.Copy(source, from * perFrame, result, f * perFrame, perFrame);
            }

            return result;
        }

        return new SpeechTrack(frames, Resize(talk.Visemes, 15, frames), Resize(talk.Mfcc, 39, frames), Resize(talk.Energy, 1, frames), Resize(talk.Voiced, 1, frames));
    }

    [Theory]
    [InlineData(306)] // the footage's sound runs 6 frames past its pictures, as muxed clips often do
    [InlineData(250)] // or stops short of them
    public void The_footage_sound_and_pictures_need_not_be_the_same_length(int soundFrames)
    {
        var talk = new SyntheticTalk(300, seed: 5);
        var speech = Speech(new SyntheticTalk(200, seed: 6), 200);

        var result = DubMotion.Run(Footage(talk, soundFrames), speech, []);

        Assert.Equal(200, result.Frames);
        Assert.Equal("personal", result.Model);
        Assert.Equal(200 * Landmarks68.FloatCount, result.Landmarks.Length);
        Assert.All(result.Landmarks.Take(result.Frames * Landmarks68.FloatCount).Where((_, i) => result.Present[i / Landmarks68.FloatCount] != 0), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Footage_without_its_own_speech_falls_back_to_the_generic_articulation_and_keeps_the_pixels_frame()
    {
        var talk = new SyntheticTalk(120, seed: 7);
        var silence = new SpeechTrack(120, new float[120 * 15], new float[120 * 39], Enumerable.Repeat(float.NegativeInfinity, 120).ToArray(), new byte[120]);
        var footage = Footage(talk, 120) with { Speech = silence };

        var result = DubMotion.Run(footage, Speech(new SyntheticTalk(100, seed: 8), 100), []);

        Assert.Equal("generic", result.Model);
        Assert.Equal(1, result.GenericGain); // placed by the pose-only fit, articulated by the generic model unscaled
        // A landmark the motion never moves (the left eye's outer corner, 36) is back at its pixel position.
        var f = Array.IndexOf(result.Present, (byte)1);
        Assert.InRange(f, 0, 99);
        var expected = (talk.Shapes[(f * Landmarks68.FloatCount) + 72] + 3) / 0.01;
        Assert.Equal(expected, result.Landmarks[(f * Landmarks68.FloatCount) + 72], 2);
    }

    [Fact]
    public void The_mouth_coefficients_describe_the_mouth_drawn_so_they_rest_in_the_pauses_too()
    {
        var talk = new SyntheticTalk(300, seed: 5);
        var speech = Speech(new SyntheticTalk(200, seed: 6), 200);
        Array.Clear(speech.Vad, 80, 50); // a 2 s pause

        var result = DubMotion.Run(Footage(talk, 300), speech, []);

        // Inside the pause the drawn mouth is the closed one at the head's pose, which this footage never changes:
        // the coefficients hold still there, while the speech around it moves them.
        var k = result.Components;
        Assert.True(k > 0);
        double Spread(int from, int to) => Enumerable.Range(0, k).Max(c =>
        {
            var column = Enumerable.Range(from, to - from).Select(f => (double)result.MouthCoefficients[(f * k) + c]).ToArray();
            return column.Max() - column.Min();
        });
        var pause = Spread(90, 120);
        var speaking = Spread(10, 70);
        Assert.True(pause < 0.05 * speaking, $"coefficient range in the pause {pause:g3}, in speech {speaking:g3}");
    }
}
