using Pipeline.FaceGeometry;
using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

public sealed class DubMouthModelTests
{
    private readonly ITestOutputHelper _output;

    public DubMouthModelTests(ITestOutputHelper output) => _output = output;

    private static MouthInputs Inputs(SyntheticTalk talk) =>
        MouthInputs.Build(talk.Visemes, talk.Mfcc, talk.Energy, talk.Shapes, talk.Usable, talk.Frames, SyntheticTalk.Fps, SpeechPoints.Canonical());

    [Fact]
    public void With_ample_speech_it_learns_articulation_and_predicts_held_out_opening()
    {
        // DESIGN §4's protocol: fit on the first 60% of the clip, drive the last 40% with its own audio.
        var talk = new SyntheticTalk(1500, seed: 11);
        var inputs = Inputs(talk);
        var train = (int)(0.6 * talk.Frames);

        var model = DubMouthModel.TryFit(inputs, talk.Shapes, talk.Usable, talk.Voiced, train, new PersonalModelOptions { Fps = SyntheticTalk.Fps });

        Assert.NotNull(model);
        _output.WriteLine(
            $"set {model.Set}, frames {model.TrainingFrames}, components {model.Components}, λ {model.Lambda:g3}, gain {model.GenericGain}, " +
            $"cv {string.Join(", ", model.SetErrors.Select(e => $"{e.Key} {e.Value:g3}"))}, smoothing {model.Smoothing}");
        Assert.Equal(talk.Usable.Take(train).Count(u => u == 1), model.TrainingFrames);
        Assert.InRange(model.Components, 1, 12);
        Assert.NotEqual(MouthInputSet.Mean, model.Set);
        Assert.NotEqual(MouthInputSet.Head, model.Set); // the synthetic head never moves: only speech explains the mouth
        Assert.Contains(model.Lambda, RidgeRegression.DefaultLambdaGrid);

        var held = talk.Frames - train;
        var predicted = new float[held * 58];
        model.Predict(inputs, train, held, predicted);

        var truth = new List<double>();
        var guess = new List<double>();
        var face = new float[Landmarks68.FloatCount];
        var real = new float[58];
        for (var i = 0; i < held; i++)
        {
            SyntheticTalk.WriteFace(talk.Opening[train + i], 0, face);
            SpeechPoints.Gather(face, real);
            truth.Add(Geometry.InnerGap(real));
            guess.Add(Geometry.InnerGap(predicted.AsSpan(i * 58, 58)));
        }

        var r = Geometry.Pearson(truth, guess);
        _output.WriteLine($"held-out Pearson r of the inner lip gap: {r:F3}");
        Assert.True(r > 0.9, $"r = {r}");
    }

    [Fact]
    public void A_mouth_that_moves_with_the_head_is_placed_by_the_head()
    {
        const int n = 400;
        var (shapes, pitch) = NoddingFootage(n);
        var silent = new float[n * 15];
        var mfcc = new float[n * 39];
        var energy = Enumerable.Repeat(-60f, n).ToArray();
        var usable = Enumerable.Repeat((byte)1, n).ToArray();
        var voiced = Enumerable.Repeat((byte)1, n).ToArray(); // counts as speech so the fit runs
        var inputs = MouthInputs.Build(silent, mfcc, energy, shapes, usable, n, 25, SpeechPoints.Canonical());
        var train = 240;
        var model = DubMouthModel.TryFit(inputs, shapes, usable, voiced, train, new PersonalModelOptions { Fps = 25 });

        Assert.NotNull(model);
        Assert.Equal(MouthInputSet.Head, model.Set);
        var predicted = new float[(n - train) * 58];
        model.Predict(inputs, train, n - train, predicted);
        var lipSlot = SpeechPoints.Slot(66);
        var restY = CanonicalFace.Points[(2 * 66) + 1];
        for (var i = 0; i < n - train; i++)
        {
            // Within a sixth of the nod's ±6% IOD swing (ridge shrinks a little towards the mean).
            Assert.Equal(restY + (1.5f * pitch[train + i]), predicted[(i * 58) + (2 * lipSlot) + 1], 0.01f);
        }

        // Closing for a pause keeps the head's shift (outer lower lip 57) and seals the inner lips (62 meets 66).
        var closed = new float[(n - train) * 58];
        model.ClosedShapes(inputs, train, n - train, closed);
        var outer = SpeechPoints.Slot(57);
        Assert.Equal(CanonicalFace.Points[(2 * 57) + 1] + (1.5f * pitch[train + 10]), closed[(10 * 58) + (2 * outer) + 1], 0.01f);
        Assert.Equal(closed[(10 * 58) + (2 * SpeechPoints.Slot(62)) + 1], closed[(10 * 58) + (2 * lipSlot) + 1]);
    }

    [Fact]
    public void Silent_footage_still_places_the_generic_articulation_by_the_head()
    {
        const int n = 300;
        var (shapes, pitch) = NoddingFootage(n);
        var usable = Enumerable.Repeat((byte)1, n).ToArray();
        var noVoice = new byte[n];
        var inputs = MouthInputs.Build(new float[n * 15], new float[n * 39], Enumerable.Repeat(-60f, n).ToArray(), shapes, usable, n, 25, SpeechPoints.Canonical());
        var options = new PersonalModelOptions { Fps = 25 };

        Assert.Null(DubMouthModel.TryFit(inputs, shapes, usable, noVoice, 200, options));
        var model = DubMouthModel.FitPlacement(inputs, shapes, usable, 200, options);

        Assert.NotNull(model);
        Assert.False(model.Personal);
        Assert.Equal(1, model.GenericGain);
        Assert.Equal(MouthInputSet.Head, model.Set);
        var predicted = new float[(n - 200) * 58];
        model.Predict(inputs, 200, n - 200, predicted);
        var outer = SpeechPoints.Slot(57);
        for (var i = 0; i < n - 200; i++)
        {
            // The generic motion of silence is the rest shape itself, so what is left is the head's placement.
            Assert.Equal(CanonicalFace.Points[(2 * 57) + 1] + (1.5f * pitch[200 + i]), predicted[(i * 58) + (2 * outer) + 1], 0.01f);
        }
    }

    [Fact]
    public void Placement_needs_two_faces_per_fold()
    {
        var (shapes, _) = NoddingFootage(9);
        var usable = Enumerable.Repeat((byte)1, 9).ToArray();
        var inputs = MouthInputs.Build(new float[9 * 15], new float[9 * 39], new float[9], shapes, usable, 9, 25, SpeechPoints.Canonical());

        Assert.Null(DubMouthModel.FitPlacement(inputs, shapes, usable, 9, new PersonalModelOptions { Fps = 25, Folds = 5 }));
    }

    // Footage whose head nods: pitch moves the nose and the mouth together in the canonical frame.
    private static (float[] Shapes, float[] Pitch) NoddingFootage(int n)
    {
        var rng = new Random(5);
        var shapes = new float[n * Landmarks68.FloatCount];
        var pitch = new float[n];
        for (var i = 0; i < n; i++)
        {
            pitch[i] = 0.04f * MathF.Sin(i * 0.07f) + (0.004f * (float)(rng.NextDouble() - 0.5));
            var face = shapes.AsSpan(i * Landmarks68.FloatCount, Landmarks68.FloatCount);
            CanonicalFace.Points.CopyTo(face);
            for (var p = 30; p <= 35; p++)
            {
                face[(2 * p) + 1] += pitch[i];
            }

            for (var p = 48; p <= 67; p++)
            {
                face[(2 * p) + 1] += 1.5f * pitch[i];
            }
        }

        return (shapes, pitch);
    }

    [Fact]
    public void Returns_null_below_the_voiced_threshold()
    {
        var talk = new SyntheticTalk(600, seed: 12);
        var everyFace = Enumerable.Repeat((byte)1, talk.Frames).ToArray();
        var inputs = MouthInputs.Build(talk.Visemes, talk.Mfcc, talk.Energy, talk.Shapes, everyFace, talk.Frames, SyntheticTalk.Fps, SpeechPoints.Canonical());

        // Keep exactly 99 usable voiced frames: one short of 4 s at 25 fps.
        var voiced = new byte[talk.Frames];
        var usable = Enumerable.Repeat((byte)1, talk.Frames).ToArray();
        for (var i = 0; i < 99; i++)
        {
            voiced[100 + i] = 1;
        }

        var options = new PersonalModelOptions { Fps = 25, MinVoicedSeconds = 4 };
        Assert.Null(DubMouthModel.TryFit(inputs, talk.Shapes, usable, voiced, talk.Frames, options));

        // Voiced frames without a usable face do not count either.
        voiced[300] = 1;
        usable[300] = 0;
        Assert.Null(DubMouthModel.TryFit(inputs, talk.Shapes, usable, voiced, talk.Frames, options));

        usable[300] = 1;
        Assert.NotNull(DubMouthModel.TryFit(inputs, talk.Shapes, usable, voiced, talk.Frames, options));

        // The threshold is in seconds: the same 100 frames are only 2 s at 50 fps.
        Assert.Null(DubMouthModel.TryFit(inputs, talk.Shapes, usable, voiced, talk.Frames, options with { Fps = 50 }));
    }

    [Fact]
    public void A_forced_smoother_is_used_and_reported()
    {
        var talk = new SyntheticTalk(500, seed: 13);
        var model = DubMouthModel.TryFit(
            Inputs(talk), talk.Shapes, talk.Usable, talk.Voiced, talk.Frames,
            new PersonalModelOptions { Smoothing = CoefficientSmoothing.ThreeTap, LambdaGrid = [1, 100] });

        Assert.NotNull(model);
        Assert.Equal(CoefficientSmoothing.ThreeTap, model.Smoothing);
        Assert.Equal([CoefficientSmoothing.ThreeTap], model.SmoothingErrors.Keys);
        Assert.Contains(model.Lambda, new[] { 0.0, 1.0, 100.0 });
    }
}
