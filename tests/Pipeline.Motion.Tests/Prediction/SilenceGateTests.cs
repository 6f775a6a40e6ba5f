using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

public sealed class SilenceGateTests
{
    [Fact]
    public void A_long_pause_is_closed_in_its_middle_and_speech_is_untouched()
    {
        const int n = 100;
        var (shapes, closed, original) = OpenEverywhere(n);
        var vad = Vad(n, (30, 70));

        SilenceGate.Apply(shapes, closed, vad, n, 25);

        for (var t = 35; t < 65; t++)
        {
            Assert.Equal(closed, shapes.AsSpan(t * 58, 58).ToArray());
        }

        foreach (var t in new[] { 0, 29, 70, 99 })
        {
            Assert.Equal(original.AsSpan(t * 58, 58).ToArray(), shapes.AsSpan(t * 58, 58).ToArray());
        }
    }

    [Fact]
    public void Ramps_are_smooth_and_monotone()
    {
        const int n = 200;
        const double fps = 50;
        var (shapes, closed, original) = OpenEverywhere(n);
        var vad = Vad(n, (50, 150));

        SilenceGate.Apply(shapes, closed, vad, n, fps, rampSeconds: 0.08);

        // Weight of the closed shape per frame, from one moving coordinate.
        var j = 2 * SpeechPoints.Slot(66) + 1;
        var weights = Enumerable.Range(0, n)
            .Select(t => (shapes[t * 58 + j] - original[t * 58 + j]) / (closed[j] - original[t * 58 + j]))
            .ToArray();

        for (var t = 1; t < n; t++)
        {
            Assert.True(Math.Abs(weights[t] - weights[t - 1]) < 0.4f, $"step {weights[t - 1]} → {weights[t]} at frame {t}");
        }

        for (var t = 50; t < 54; t++)
        {
            Assert.True(weights[t] > weights[t - 1], "closing ramp rises");
        }

        for (var t = 147; t < 151; t++)
        {
            Assert.True(weights[t] < weights[t - 1], "opening ramp falls");
        }

        Assert.Equal(0f, weights[49]);
        Assert.InRange(weights[50], 0.05f, 0.95f); // 0.08 s = 4 frame intervals at 50 fps: in between
        Assert.Equal(1f, weights[53], 1e-6f); // closed 4 intervals after the last speech frame
        Assert.Equal(1f, weights[146], 1e-6f);
        Assert.Equal(0f, weights[150]);
    }

    [Fact]
    public void A_pause_between_words_is_left_alone()
    {
        const int n = 60;
        const double fps = 30;
        var (shapes, closed, original) = OpenEverywhere(n);
        var vad = Vad(n, (20, 23)); // 3 frames = 0.1 s

        SilenceGate.Apply(shapes, closed, vad, n, fps);
        Assert.Equal(original, shapes);

        // Exactly the threshold is a pause: 0.15 s = 6 frames at 40 fps.
        vad = Vad(n, (20, 26));
        SilenceGate.Apply(shapes, closed, vad, n, 40);
        Assert.NotEqual(original, shapes);
    }

    [Fact]
    public void A_pause_at_the_clip_start_is_closed_from_the_first_frame()
    {
        const int n = 50;
        var (shapes, closed, _) = OpenEverywhere(n);
        SilenceGate.Apply(shapes, closed, Vad(n, (0, 20)), n, 25);
        Assert.Equal(closed, shapes.AsSpan(0, 58).ToArray());
    }

    private static (float[] Shapes, float[] Closed, float[] Original) OpenEverywhere(int n)
    {
        var closed = SpeechPoints.Canonical();
        var shapes = new float[n * 58];
        var rng = new Random(21);
        for (var t = 0; t < n; t++)
        {
            var s = shapes.AsSpan(t * 58, 58);
            closed.CopyTo(s);
            foreach (var p in new[] { 56, 57, 58, 65, 66, 67, 8 })
            {
                s[2 * SpeechPoints.Slot(p) + 1] += 0.1f + 0.05f * (float)rng.NextDouble();
            }
        }

        return (shapes, closed, shapes.ToArray());
    }

    private static byte[] Vad(int n, (int Start, int End) pause)
    {
        var vad = Enumerable.Repeat((byte)1, n).ToArray();
        for (var t = pause.Start; t < pause.End; t++)
        {
            vad[t] = 0;
        }

        return vad;
    }
}
