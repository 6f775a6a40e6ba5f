using Pipeline.FaceGeometry;
using Pipeline.Motion.Evaluation;

namespace Pipeline.Motion.Tests.Evaluation;

public sealed class BaselinesTests
{
    private const int TrainFrames = 300;
    private const int TestFrames = 200;

    private static readonly int[] SpeechPoints = [.. Enumerable.Range(4, 9), .. Enumerable.Range(48, 20)];

    /// <summary>Real test faces: a different mouth than training, and raised brows the baselines must keep.</summary>
    private static float[] TestBase()
    {
        var faces = EvalFaces.Talking(TestFrames, f => 0.2 * Math.Abs(Math.Sin(f * 0.3)));
        for (var f = 0; f < TestFrames; f++)
        {
            for (var p = 17; p < 27; p++)
            {
                faces[(f * EvalFaces.Stride) + (2 * p) + 1] -= 0.05f + (0.001f * f);
            }
        }

        return faces;
    }

    [Fact]
    public void StaticIsTheTrainingMeanMouthOnTheRealUpperFace()
    {
        var train = EvalFaces.Talking(TrainFrames, f => 0.1 + (0.1 * Math.Sin(f * 0.4)));
        var valid = EvalFaces.AllValid(TrainFrames);
        for (var f = 0; f < TrainFrames; f += 10)
        {
            // Untracked training frames hold garbage that must not reach the mean.
            valid[f] = 0;
            train.AsSpan(f * EvalFaces.Stride, EvalFaces.Stride).Fill(f % 20 == 0 ? float.NaN : 9f);
        }

        var testBase = TestBase();
        var result = Baselines.Static(train, valid, TrainFrames, testBase, TestFrames);

        Assert.Equal(TestFrames * EvalFaces.Stride, result.Length);
        for (var i = 0; i < EvalFaces.Stride; i++)
        {
            var p = i / 2;
            var expected = SpeechPoints.Contains(p) ? MeanOverValid(train, valid, i) : double.NaN;
            for (var f = 0; f < TestFrames; f++)
            {
                var actual = result[(f * EvalFaces.Stride) + i];
                if (SpeechPoints.Contains(p))
                {
                    Assert.Equal(expected, actual, 5);
                }
                else
                {
                    Assert.Equal(testBase[(f * EvalFaces.Stride) + i], actual);
                }
            }
        }
    }

    [Fact]
    public void EnergyOpensTheMouthWithLoudness()
    {
        // Training: the mouth opens in proportion to the (smoothed RMS amplitude) envelope, plus a little tracker noise.
        var random = new Random(3);
        var trainAmplitude = Enumerable.Range(0, TrainFrames).Select(f => 0.01 + (0.2 * Syllable(f, 11.0))).ToArray();
        var trainEnvelope = SpeechEnvelope.FromDbfs(EvalFaces.Dbfs(trainAmplitude), TrainFrames);
        var train = EvalFaces.Talking(TrainFrames, f => trainEnvelope[f]);
        foreach (var f in Enumerable.Range(0, TrainFrames))
        {
            foreach (var p in SpeechPoints)
            {
                train[(f * EvalFaces.Stride) + (2 * p)] += (float)(0.002 * (random.NextDouble() - 0.5));
                train[(f * EvalFaces.Stride) + (2 * p) + 1] += (float)(0.002 * (random.NextDouble() - 0.5));
            }
        }

        var testAmplitude = Enumerable.Range(0, TestFrames).Select(f => 0.01 + (0.15 * Syllable(f + 3, 7.0))).ToArray();
        var testBase = TestBase();

        var result = Baselines.Energy(train, EvalFaces.AllValid(TrainFrames), EvalFaces.Dbfs(trainAmplitude), TrainFrames, testBase, EvalFaces.Dbfs(testAmplitude), TestFrames);

        var opening = LandmarkMetrics.Opening(result, TestFrames);
        var r = EvalFaces.Pearson(opening, testAmplitude);
        Assert.True(r > 0.95, $"r = {r}");

        // The slope is the training one: one unit of amplitude opened the mouth by one unit there.
        var envelope = SpeechEnvelope.FromDbfs(EvalFaces.Dbfs(testAmplitude), TestFrames);
        var slope = (opening.Max() - opening.Min()) / (envelope.Max() - envelope.Min());
        Assert.InRange(slope, 0.95, 1.05);

        for (var f = 0; f < TestFrames; f++)
        {
            for (var p = 13; p < 48; p++)
            {
                Assert.Equal(testBase[(f * EvalFaces.Stride) + (2 * p)], result[(f * EvalFaces.Stride) + (2 * p)]);
                Assert.Equal(testBase[(f * EvalFaces.Stride) + (2 * p) + 1], result[(f * EvalFaces.Stride) + (2 * p) + 1]);
            }
        }
    }

    [Fact]
    public void EnergyWithConstantLoudnessIsStatic()
    {
        var train = EvalFaces.Talking(TrainFrames, f => 0.1 + (0.1 * Math.Sin(f * 0.4)));
        var valid = EvalFaces.AllValid(TrainFrames);
        var testBase = TestBase();
        var flat = Enumerable.Repeat(-30f, TrainFrames).ToArray();

        var energy = Baselines.Energy(train, valid, flat, TrainFrames, testBase, Enumerable.Repeat(-20f, TestFrames).ToArray(), TestFrames);
        var still = Baselines.Static(train, valid, TrainFrames, testBase, TestFrames);

        for (var i = 0; i < still.Length; i++)
        {
            Assert.Equal(still[i], energy[i], 5);
        }
    }

    [Fact]
    public void NothingToFitOnIsRejected()
    {
        var train = EvalFaces.Talking(10, _ => 0.1);
        Assert.Throws<ArgumentException>(() => Baselines.Static(train, new byte[10], 10, TestBase(), TestFrames));
    }

    /// <summary>A smooth syllable-like bump train in [0, 1] with the given period in frames.</summary>
    private static double Syllable(int f, double period) => Math.Pow(Math.Sin(Math.PI * f / period), 2);

    private static double MeanOverValid(float[] faces, byte[] valid, int index)
    {
        double sum = 0;
        var n = 0;
        for (var f = 0; f < valid.Length; f++)
        {
            if (valid[f] != 0)
            {
                sum += faces[(f * Landmarks68.FloatCount) + index];
                n++;
            }
        }

        return sum / n;
    }
}
