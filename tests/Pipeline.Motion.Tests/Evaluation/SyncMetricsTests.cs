using Pipeline.Motion.Evaluation;

namespace Pipeline.Motion.Tests.Evaluation;

public sealed class SyncMetricsTests
{
    private const int Frames = 600;

    /// <summary>Per-frame speech energy: random levels between −60 and −10 dBFS, a fixed seed.</summary>
    private static float[] Energy(int seed)
    {
        var random = new Random(seed);
        var db = new float[Frames];
        for (var f = 0; f < Frames; f++)
        {
            db[f] = (float)(-60 + (50 * random.NextDouble()));
        }

        return db;
    }

    /// <summary>opening[f] = envelope[f − delay] (edges held), i.e. the mouth <paramref name="delay"/> frames late.</summary>
    private static double[] Shifted(double[] envelope, int delay)
    {
        var opening = new double[envelope.Length];
        for (var f = 0; f < opening.Length; f++)
        {
            opening[f] = envelope[Math.Clamp(f - delay, 0, envelope.Length - 1)];
        }

        return opening;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-2)]
    [InlineData(0)]
    [InlineData(7)]
    public void TheLagIsHowLateTheMouthIs(int delay)
    {
        var db = Energy(11);
        var opening = Shifted(SpeechEnvelope.FromDbfs(db, Frames), delay);

        var (lag, confidence) = SyncMetrics.Measure(opening, db, EvalFaces.AllValid(Frames), Frames);

        Assert.Equal(delay, lag);
        Assert.True(confidence > 0.3, $"confidence {confidence}");
    }

    [Fact]
    public void AScaledAndOffsetOpeningIsJustAsSynchronous()
    {
        var db = Energy(12);
        var opening = Shifted(SpeechEnvelope.FromDbfs(db, Frames), 2).Select(v => 0.05 + (3 * v)).ToArray();

        var (lag, confidence) = SyncMetrics.Measure(opening, db, EvalFaces.AllValid(Frames), Frames);

        Assert.Equal(2, lag);
        Assert.True(confidence > 0.8, $"confidence {confidence}");
    }

    [Fact]
    public void NoiseHasLowConfidence()
    {
        var db = Energy(13);
        var random = new Random(14);
        var opening = Enumerable.Range(0, Frames).Select(_ => random.NextDouble()).ToArray();

        var (_, confidence) = SyncMetrics.Measure(opening, db, EvalFaces.AllValid(Frames), Frames);

        Assert.True(confidence < 0.2, $"confidence {confidence}");
    }

    [Fact]
    public void InvalidFramesDoNotCount()
    {
        var db = Energy(15);
        var opening = Shifted(SpeechEnvelope.FromDbfs(db, Frames), 2);
        var valid = EvalFaces.AllValid(Frames);
        for (var f = 0; f < Frames; f += 7)
        {
            valid[f] = 0;
            opening[f] = f % 2 == 0 ? double.NaN : 1000;
        }

        var (lag, confidence) = SyncMetrics.Measure(opening, db, valid, Frames);

        Assert.Equal(2, lag);
        Assert.True(confidence > 0.8, $"confidence {confidence}");
    }

    [Fact]
    public void AStillMouthReadsNoLagAndNoConfidence()
    {
        var opening = Enumerable.Repeat(0.1, Frames).ToArray();
        Assert.Equal((0, 0.0), SyncMetrics.Measure(opening, Energy(16), EvalFaces.AllValid(Frames), Frames));
        Assert.Equal((0, 0.0), SyncMetrics.Measure([], [], [], 0));
    }

    [Fact]
    public void TheEnvelopeIsSmoothedLinearAmplitude()
    {
        // −20 dBFS is 0.1 RMS, −40 is 0.01; [1 2 1]/4 with held edges.
        var envelope = SpeechEnvelope.FromDbfs([-20f, -40f, -20f, -20f], 4);
        Assert.Equal([0.0775, 0.055, 0.0775, 0.1], envelope.Select(v => Math.Round(v, 6)));
    }
}
