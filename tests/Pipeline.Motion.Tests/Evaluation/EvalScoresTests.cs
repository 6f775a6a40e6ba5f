using System.Text.Json;
using Pipeline.Motion.Evaluation;

namespace Pipeline.Motion.Tests.Evaluation;

public sealed class EvalScoresTests
{
    [Fact]
    public void TheRealFacesAgainstThemselvesAreTheCeiling()
    {
        const int frames = 400;
        var random = new Random(5);
        var amplitude = Enumerable.Range(0, frames).Select(_ => 0.005 + (0.2 * random.NextDouble())).ToArray();
        var db = EvalFaces.Dbfs(amplitude);
        var envelope = SpeechEnvelope.FromDbfs(db, frames);
        var real = EvalFaces.Talking(frames, f => envelope[f]);

        var scores = EvalScores.Compute(real, real, EvalFaces.AllValid(frames), db, frames);

        Assert.Equal(0, scores.MLmd);
        Assert.Equal(0, scores.FLmd);
        Assert.Equal(0, scores.Lvd);
        Assert.Equal(0, scores.SyncLag);
        Assert.True(scores.SyncConf > 0.8, $"confidence {scores.SyncConf}");
        Assert.Equal(1, scores.OpenR, 6);
    }

    [Fact]
    public void TheMeanSkipsUndefinedFields()
    {
        var mean = EvalScores.Mean(
        [
            new EvalScores(1, 2, 3, 2, 0.5, 0.8),
            new EvalScores(3, 4, double.NaN, -2, 0.7, 0.4),
        ]);

        Assert.Equal(new EvalScores(2, 3, 3, 0, 0.6, 0.6), mean with { SyncConf = Math.Round(mean.SyncConf, 12), OpenR = Math.Round(mean.OpenR, 12) });
        Assert.True(double.IsNaN(EvalScores.Mean([]).MLmd));
    }

    [Fact]
    public void RenderFiguresAverageOverTheRenderedSeriesAndStayNullWithoutAny()
    {
        var mean = EvalScores.Mean(
        [
            new EvalScores(1, 1, 1, 0, 1, 1) { RetrackedMLmd = 2, MouthSsim = 0.6, MouthPsnr = 20, OutsidePsnr = 44 },
            new EvalScores(1, 1, 1, 0, 1, 1) { RetrackedMLmd = 4, MouthSsim = 0.8, MouthPsnr = 22, OutsidePsnr = 46 },
            new EvalScores(1, 1, 1, 0, 1, 1),
        ]);

        Assert.Equal((3.0, 0.7, 21.0, 45.0), (mean.RetrackedMLmd!.Value, Math.Round(mean.MouthSsim!.Value, 12), mean.MouthPsnr!.Value, mean.OutsidePsnr!.Value));
        Assert.Null(EvalScores.Mean([new EvalScores(1, 1, 1, 0, 1, 1)]).MouthSsim);
    }

    [Fact]
    public void PropertiesSerialiseToTheReportNames()
    {
        // As the CLI prints them: snake_case, and the render figures only where the series was rendered.
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        var json = JsonSerializer.Serialize(new EvalScores(1, 2, 3, 4, 5, 6), options);
        Assert.Equal("""{"m_lmd":1,"f_lmd":2,"lvd":3,"sync_lag":4,"sync_conf":5,"open_r":6}""", json);
        var rendered = JsonSerializer.Serialize(new EvalScores(1, 2, 3, 4, 5, 6) { RetrackedMLmd = 7, MouthSsim = 0.5, MouthPsnr = 20, OutsidePsnr = 45 }, options);
        Assert.EndsWith(""","open_r":6,"retracked_m_lmd":7,"mouth_ssim":0.5,"mouth_psnr":20,"outside_psnr":45}""", rendered);
    }
}
