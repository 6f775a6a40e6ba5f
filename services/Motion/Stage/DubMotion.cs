using System.Diagnostics;
using Pipeline.FaceGeometry;
using Pipeline.Motion.Prediction;

namespace Pipeline.Motion.Stage;

/// <summary>
/// Dub-mode motion: fits the mouth model on the whole target footage with its own sound, drives it with the new
/// speech frame by frame on the video's clock, closes the mouth in the new speech's pauses, adds the emotion and
/// maps every face back into its frame. Only the speech points (jaw 4-12, mouth 48-67) and what emotion moves
/// change; the rest of each face is the tracked one.
/// </summary>
public static class DubMotion
{
    private const int Face = Landmarks68.FloatCount;
    private const int Dim = SpeechPoints.FloatCount;

    /// <param name="target">The footage (fitting data, head pose and placement of every output frame).</param>
    /// <param name="speech">The new speech, on the footage's frame clock; output frames = the shorter of the two.</param>
    /// <param name="emotion">[speech.Frames, 11] emotion rows (EmotionOffsets layout), or empty for neutral.</param>
    public static MotionResult Run(TargetFootage target, SpeechTrack speech, ReadOnlySpan<float> emotion, PersonalModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(speech);
        options ??= new PersonalModelOptions { Fps = target.Fps };
        var n = Math.Min(target.Frames, speech.Frames);
        if (!emotion.IsEmpty && emotion.Length < (long)n * EmotionOffsets.RowLength)
        {
            throw new ArgumentException($"{n} frames need {(long)n * EmotionOffsets.RowLength} emotion floats", nameof(emotion));
        }

        var fit = Stopwatch.StartNew();
        var own = target.Speech;

        // The footage's own sound may run a few frames past its pictures (or stop short): fit on the frames with both.
        var m = Math.Min(target.Frames, own.Frames);
        var silent = own.Vad.AsSpan(0, m).ToArray().Select(v => (byte)(v == 0 ? 1 : 0)).ToArray();
        var neutral = GenericMouthModel.NeutralFrom(target.Faces, target.Present, silent, m);
        var ownInputs = MouthInputs.Build(own.Visemes, own.Mfcc, own.EnergyDbfs, target.Faces, target.Present, m, target.Fps, neutral);
        var model = DubMouthModel.FitFootage(ownInputs, target.Faces, target.Present, own.Vad, m, options);
        fit.Stop();

        var predict = Stopwatch.StartNew();
        var newInputs = MouthInputs.Build(speech.Visemes, speech.Mfcc, speech.EnergyDbfs, target.Faces, target.Present, n, target.Fps, neutral);
        var mouths = new float[n * Dim];
        GatedMouths.Predict(model, newInputs, 0, n, speech.Visemes, neutral, speech.Vad, target.Fps, mouths);
        var k = model?.Components ?? 0;
        var coefficients = model is null ? [] : Normalised(model.Pca, mouths, n);

        var landmarks = new float[n * Face];
        var present = new byte[n];
        var face = new float[Face];
        for (var i = 0; i < n; i++)
        {
            if (target.Present[i] == 0)
            {
                continue;
            }

            target.Faces.AsSpan(i * Face, Face).CopyTo(face);
            SpeechPoints.Scatter(mouths.AsSpan(i * Dim, Dim), face);
            if (!emotion.IsEmpty)
            {
                EmotionOffsets.Apply(face, emotion.Slice(i * EmotionOffsets.RowLength, EmotionOffsets.RowLength));
            }

            var t = target.ToCanonical.AsSpan(i * 4, 4);
            new SimilarityTransform(t[0], t[1], t[2], t[3]).Inverse().Apply(face, landmarks.AsSpan(i * Face, Face));
            present[i] = 1;
        }

        predict.Stop();
        return new MotionResult(
            n, landmarks, present, coefficients, k, model is { Personal: true } ? "personal" : "generic", model?.Set.ToString(), model?.GenericGain ?? 0,
            fit.Elapsed.TotalSeconds, predict.Elapsed.TotalSeconds);
    }

    // PCA coefficients in units of each component's standard deviation on the target's footage.
    private static float[] Normalised(MouthPca pca, float[] mouths, int n)
    {
        var k = pca.Components;
        var result = new float[n * k];
        for (var i = 0; i < n; i++)
        {
            var c = result.AsSpan(i * k, k);
            pca.Project(mouths.AsSpan(i * Dim, Dim), c);
            for (var j = 0; j < k; j++)
            {
                var sd = Math.Sqrt(pca.ComponentVariances[j]);
                c[j] = sd > 0 ? (float)(c[j] / sd) : 0f;
            }
        }

        return result;
    }
}
