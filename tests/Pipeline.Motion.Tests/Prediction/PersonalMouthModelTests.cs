using Pipeline.FaceGeometry;
using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Tests.Prediction;

public sealed class PersonalMouthModelTests
{
    private readonly ITestOutputHelper _output;

    public PersonalMouthModelTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Predicts_held_out_mouth_opening_with_high_correlation()
    {
        // DESIGN §4's protocol: fit on the first 60% of the clip, drive the last 40% with its own audio.
        var talk = new SyntheticTalk(1500, seed: 11);
        var features = MotionFeatures.Build(talk.Visemes, talk.Mfcc, talk.Energy, talk.Frames);
        var d = MotionFeatures.Dimension(2);
        var train = (int)(0.6 * talk.Frames);

        var model = PersonalMouthModel.TryFit(
            features.AsSpan(0, train * d), d, talk.Shapes.AsSpan(0, train * Landmarks68.FloatCount),
            talk.Usable.AsSpan(0, train), talk.Voiced.AsSpan(0, train), train, new PersonalModelOptions { Fps = SyntheticTalk.Fps });

        Assert.NotNull(model);
        _output.WriteLine(
            $"frames {model.TrainingFrames}, components {model.Components}, λ {model.Lambda:g3}, cv {model.CvError:g3}, " +
            $"smoothing {model.Smoothing} ({string.Join(", ", model.SmoothingErrors.Select(e => $"{e.Key} {e.Value:g4}"))})");
        Assert.Equal(talk.Usable.Take(train).Count(u => u == 1), model.TrainingFrames);
        Assert.InRange(model.Components, 1, 12);
        Assert.Contains(model.Lambda, RidgeRegression.DefaultLambdaGrid);

        var held = talk.Frames - train;
        var predicted = new float[held * 58];
        model.Predict(features.AsSpan(train * d, held * d), held, predicted);

        var truth = new List<double>();
        var guess = new List<double>();
        var face = new float[Landmarks68.FloatCount];
        for (var i = 0; i < held; i++)
        {
            SyntheticTalk.WriteFace(talk.Opening[train + i], 0, face);
            var real = new float[58];
            SpeechPoints.Gather(face, real);
            truth.Add(Geometry.InnerGap(real));
            guess.Add(Geometry.InnerGap(predicted.AsSpan(i * 58, 58)));
        }

        var r = Geometry.Pearson(truth, guess);
        _output.WriteLine($"held-out Pearson r of the inner lip gap: {r:F3}");
        Assert.True(r > 0.9, $"r = {r}");
    }

    [Fact]
    public void Returns_null_below_the_voiced_threshold()
    {
        var talk = new SyntheticTalk(600, seed: 12);
        var features = MotionFeatures.Build(talk.Visemes, talk.Mfcc, talk.Energy, talk.Frames);
        var d = MotionFeatures.Dimension(2);

        // Keep exactly 99 usable voiced frames: one short of 4 s at 25 fps.
        var voiced = new byte[talk.Frames];
        var usable = Enumerable.Repeat((byte)1, talk.Frames).ToArray();
        for (var i = 0; i < 99; i++)
        {
            voiced[100 + i] = 1;
        }

        var options = new PersonalModelOptions { Fps = 25, MinVoicedSeconds = 4 };
        Assert.Null(PersonalMouthModel.TryFit(features, d, talk.Shapes, usable, voiced, talk.Frames, options));

        // Voiced frames without a usable face do not count either.
        voiced[300] = 1;
        usable[300] = 0;
        Assert.Null(PersonalMouthModel.TryFit(features, d, talk.Shapes, usable, voiced, talk.Frames, options));

        usable[300] = 1;
        Assert.NotNull(PersonalMouthModel.TryFit(features, d, talk.Shapes, usable, voiced, talk.Frames, options));

        // The threshold is in seconds: the same 100 frames are only 2 s at 50 fps.
        Assert.Null(PersonalMouthModel.TryFit(features, d, talk.Shapes, usable, voiced, talk.Frames, options with { Fps = 50 }));
    }

    [Fact]
    public void A_forced_smoother_is_used_and_reported()
    {
        var talk = new SyntheticTalk(500, seed: 13);
        var features = MotionFeatures.Build(talk.Visemes, talk.Mfcc, talk.Energy, talk.Frames);
        var d = MotionFeatures.Dimension(2);
        var model = PersonalMouthModel.TryFit(
            features, d, talk.Shapes, talk.Usable, talk.Voiced, talk.Frames,
            new PersonalModelOptions { Smoothing = CoefficientSmoothing.ThreeTap, LambdaGrid = [1, 100] });

        Assert.NotNull(model);
        Assert.Equal(CoefficientSmoothing.ThreeTap, model.Smoothing);
        Assert.Equal([CoefficientSmoothing.ThreeTap], model.SmoothingErrors.Keys);
        Assert.Contains(model.Lambda, new[] { 1.0, 100.0 });
    }
}
