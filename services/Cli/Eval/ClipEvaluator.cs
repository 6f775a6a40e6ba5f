using Pipeline.FaceGeometry;
using Pipeline.Motion.Evaluation;
using Pipeline.Motion.Prediction;

namespace Pipeline.Cli.Eval;

/// <summary>
/// Self-reenactment on one prepared clip (DESIGN.md §4): fit on the first part, drive the rest with the clip's own
/// speech, compare with the real tracked faces. The upper face of every prediction is the real one: only the
/// speech-driven points (jaw and mouth) are predicted, as in dub mode.
/// </summary>
public static class ClipEvaluator
{
    public sealed record Predictions(float[] Real, byte[] Valid, float[] Ours, float[] Generic, float[] Static, float[] Energy, int First, int Count);

    public static (ClipEvaluation Result, Predictions Series) Evaluate(ClipData clip, double split)
    {
        var n = clip.Frames;
        var first = Math.Clamp((int)Math.Floor(n * split), 1, n - 1);
        var count = n - first;

        var trainFaces = clip.Faces.AsSpan(0, first * 136);
        var trainValid = clip.Valid.AsSpan(0, first);
        var testReal = clip.Faces.AsSpan(first * 136, count * 136).ToArray();
        var testValid = clip.Valid.AsSpan(first, count).ToArray();
        var testEnergy = clip.EnergyDbfs.AsSpan(first, count);
        var testVad = clip.Vad.AsSpan(first, count);

        // Closed / resting mouth of this person, from the training part.
        var silent = clip.Vad.AsSpan(0, first).ToArray().Select(v => (byte)(v == 0 ? 1 : 0)).ToArray();
        var neutral = GenericMouthModel.NeutralFrom(trainFaces, trainValid, silent, first);

        // Generic: visemes → canonical shapes scaled to the target.
        var generic58 = new float[count * 58];
        new GenericMouthModel(neutral).Predict(clip.Visemes.AsSpan(first * Visemes15, count * Visemes15), count, clip.Fps, generic58);
        var sealedNeutral = (float[])neutral.Clone();
        SpeechPoints.CloseLips(sealedNeutral);
        SilenceGate.Apply(generic58, sealedNeutral, testVad, count, clip.Fps);
        var generic = Compose(testReal, generic58, count);

        // Person-specific: fitted on the training part; with too little speech, the generic articulation placed by a
        // pose-only fit (FitPlacement), and the bare generic model only when there are too few faces to fit on.
        var inputs = MouthInputs.Build(clip.Visemes, clip.Mfcc, clip.EnergyDbfs, clip.Faces, clip.Valid, n, clip.Fps, neutral);
        var model = DubMouthModel.FitFootage(inputs, trainFaces, trainValid, clip.Vad.AsSpan(0, first), first, new PersonalModelOptions { Fps = clip.Fps });
        var ours58 = new float[count * 58];
        GatedMouths.Predict(model, inputs, first, count, clip.Visemes.AsSpan(first * Visemes15, count * Visemes15), neutral, testVad, clip.Fps, ours58);
        var ours = Compose(testReal, ours58, count);

        var stat = Baselines.Static(trainFaces, trainValid, first, testReal, count);
        var energy = Baselines.Energy(trainFaces, trainValid, clip.EnergyDbfs.AsSpan(0, first), first, testReal, testEnergy, count);

        var oursScores = EvalScores.Compute(ours, testReal, testValid, testEnergy, count);
        var pause = PauseMetrics.PauseOpeningRatio(LandmarkMetrics.Opening(ours, count), testVad, count, clip.Fps);
        var result = new ClipEvaluation(
            clip.Name, n, Math.Round(clip.Fps, 6), first, model is null ? "generic" : $"{(model.Personal ? "personal" : "generic")}:{model.Set}+g{model.GenericGain:0.##}", model?.Lambda, pause,
            oursScores,
            EvalScores.Compute(generic, testReal, testValid, testEnergy, count),
            EvalScores.Compute(stat, testReal, testValid, testEnergy, count),
            EvalScores.Compute(energy, testReal, testValid, testEnergy, count),
            EvalScores.Compute(testReal, testReal, testValid, testEnergy, count),
            Cross(clip, model, neutral, first, count, testReal, testValid));
        return (result, new Predictions(testReal, testValid, ours, generic, stat, energy, first, count));
    }

    /// <summary>
    /// Self-reenactment scores a model that replays the footage's own performance (from the head's motion, say) as
    /// skill, which in a dub would be wrong. So the fitted model is also driven with the test speech rotated by half
    /// its length: the lips should follow the rotated speech's real mouth, not the mouth as filmed.
    /// </summary>
    private static CrossDrive? Cross(ClipData clip, DubMouthModel? model, float[] neutral, int first, int count, float[] testReal, byte[] testValid)
    {
        var shift = count / 2;
        if (shift < 1)
        {
            return null;
        }

        var n = clip.Frames;
        var visemes = Rotated(clip.Visemes, n, first, shift);
        var vad = Rotated(clip.Vad, n, first, shift);
        var inputs = MouthInputs.Build(visemes, Rotated(clip.Mfcc, n, first, shift), Rotated(clip.EnergyDbfs, n, first, shift), clip.Faces, clip.Valid, n, clip.Fps, neutral);
        var cross58 = new float[count * 58];
        GatedMouths.Predict(model, inputs, first, count, visemes.AsSpan(first * Visemes15, count * Visemes15), neutral, vad.AsSpan(first, count), clip.Fps, cross58);

        var predicted = Compose(testReal, cross58, count);
        var truth = Rotated(testReal, count, 0, shift);
        var truthValid = Rotated(testValid, count, 0, shift);
        for (var f = 0; f < count; f++)
        {
            truthValid[f] &= testValid[f];
        }

        return new CrossDrive(
            LandmarkMetrics.OpeningCorrelation(predicted, truth, truthValid, count),
            LandmarkMetrics.OpeningCorrelation(predicted, testReal, testValid, count),
            LandmarkMetrics.OpeningCorrelation(truth, testReal, truthValid, count),
            shift);
    }

    // A copy of per-frame rows whose frames first..n-1 are rotated: frame first+f takes frame first+(f+shift) mod (n-first).
    private static T[] Rotated<T>(T[] rows, int n, int first, int shift)
    {
        var width = rows.Length / n;
        var count = n - first;
        var copy = (T[])rows.Clone();
        for (var f = 0; f < count; f++)
        {
            Array.Copy(rows, (first + ((f + shift) % count)) * width, copy, (first + f) * width, width);
        }

        return copy;
    }

    private const int Visemes15 = 15;

    // The real test faces with the speech-driven points replaced by the prediction.
    private static float[] Compose(float[] real, float[] speech58, int count)
    {
        var faces = (float[])real.Clone();
        for (var f = 0; f < count; f++)
        {
            SpeechPoints.Scatter(speech58.AsSpan(f * 58, 58), faces.AsSpan(f * 136, 136));
        }

        return faces;
    }
}
