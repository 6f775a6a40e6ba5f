using Pipeline.FaceGeometry;
using Pipeline.Motion.Evaluation;

namespace Pipeline.Motion.Tests.Evaluation;

public sealed class LandmarkMetricsTests
{
    private const int Frames = 60;

    private static float[] Real() => EvalFaces.Talking(Frames, f => 0.15 * (1 + Math.Sin(f * 0.7)));

    [Fact]
    public void IdenticalSequencesScorePerfectly()
    {
        var real = Real();
        var predicted = (float[])real.Clone();
        var valid = EvalFaces.AllValid(Frames);

        Assert.Equal(0, LandmarkMetrics.MouthLmd(predicted, real, valid, Frames));
        Assert.Equal(0, LandmarkMetrics.FaceLmd(predicted, real, valid, Frames));
        Assert.Equal(0, LandmarkMetrics.Lvd(predicted, real, valid, Frames));
        Assert.Equal(1, LandmarkMetrics.OpeningCorrelation(predicted, real, valid, Frames), 9);
    }

    [Fact]
    public void AConstantMouthOffsetIsOnePercentOnTheMouthAndAFractionOnTheFace()
    {
        var real = Real();
        var predicted = (float[])real.Clone();
        for (var f = 0; f < Frames; f++)
        {
            for (var p = 48; p < 68; p++)
            {
                // 0.006 across and 0.008 down: 0.01 of the inter-ocular distance.
                predicted[(f * EvalFaces.Stride) + (2 * p)] += 0.006f;
                predicted[(f * EvalFaces.Stride) + (2 * p) + 1] += 0.008f;
            }
        }

        var valid = EvalFaces.AllValid(Frames);
        Assert.Equal(1.0, LandmarkMetrics.MouthLmd(predicted, real, valid, Frames), 4);
        Assert.Equal(20.0 / 68.0, LandmarkMetrics.FaceLmd(predicted, real, valid, Frames), 4);
        Assert.Equal(0, LandmarkMetrics.Lvd(predicted, real, valid, Frames), 4);
    }

    [Fact]
    public void LvdMeasuresTheDifferenceOfFrameToFrameMotion()
    {
        // Predicted jitters by 0.01 on every point every other frame: each velocity differs by 0.01.
        var real = Real();
        var predicted = (float[])real.Clone();
        for (var f = 1; f < Frames; f += 2)
        {
            for (var i = 0; i < EvalFaces.Stride; i += 2)
            {
                predicted[(f * EvalFaces.Stride) + i] += 0.01f;
            }
        }

        var valid = EvalFaces.AllValid(Frames);
        Assert.Equal(1.0, LandmarkMetrics.Lvd(predicted, real, valid, Frames), 4);
    }

    [Fact]
    public void InvalidFramesAreLeftOutAndNothingValidIsNaN()
    {
        var real = Real();
        var predicted = (float[])real.Clone();
        var valid = EvalFaces.AllValid(Frames);
        for (var f = 10; f < 20; f++)
        {
            valid[f] = 0;
            predicted.AsSpan(f * EvalFaces.Stride, EvalFaces.Stride).Fill(f % 2 == 0 ? float.NaN : 50f);
        }

        Assert.Equal(0, LandmarkMetrics.MouthLmd(predicted, real, valid, Frames));
        Assert.Equal(0, LandmarkMetrics.FaceLmd(predicted, real, valid, Frames));
        Assert.Equal(0, LandmarkMetrics.Lvd(predicted, real, valid, Frames));
        Assert.Equal(1, LandmarkMetrics.OpeningCorrelation(predicted, real, valid, Frames), 9);

        var none = new byte[Frames];
        Assert.True(double.IsNaN(LandmarkMetrics.MouthLmd(predicted, real, none, Frames)));
        Assert.True(double.IsNaN(LandmarkMetrics.FaceLmd(predicted, real, none, Frames)));
        Assert.True(double.IsNaN(LandmarkMetrics.Lvd(predicted, real, none, Frames)));
    }

    [Fact]
    public void OpeningCorrelationIsSignedAndZeroForAStillMouth()
    {
        var real = Real();
        var opposite = EvalFaces.Talking(Frames, f => 0.15 * (1 - Math.Sin(f * 0.7)));
        var still = EvalFaces.Talking(Frames, _ => 0.1);
        var valid = EvalFaces.AllValid(Frames);

        Assert.Equal(-1, LandmarkMetrics.OpeningCorrelation(opposite, real, valid, Frames), 6);
        Assert.Equal(0, LandmarkMetrics.OpeningCorrelation(still, real, valid, Frames));
    }

    [Fact]
    public void OpeningIsTheInnerLipGapOfEveryFrame()
    {
        var faces = EvalFaces.Talking(3, f => 0.1 * f);
        var opening = LandmarkMetrics.Opening(faces, 3);
        Assert.Equal(3, opening.Length);
        for (var f = 0; f < 3; f++)
        {
            Assert.Equal(EvalFaces.RestOpening + (0.1 * f), opening[f], 5);
        }
    }

    [Fact]
    public void ShortInputsAreRejected()
    {
        var real = Real();
        Assert.Throws<ArgumentException>(() => LandmarkMetrics.MouthLmd(real.AsSpan(0, 100), real, EvalFaces.AllValid(Frames), Frames));
        Assert.Throws<ArgumentException>(() => LandmarkMetrics.Lvd(real, real, new byte[Frames - 1], Frames));
        Assert.Throws<ArgumentException>(() => LandmarkMetrics.Opening(real.AsSpan(0, Landmarks68.FloatCount), 2));
    }
}
