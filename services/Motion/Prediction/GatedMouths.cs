namespace Pipeline.Motion.Prediction;

/// <summary>
/// The mouths a dub shows for a run of frames: the target's fitted model driven by the speech (with no model, the
/// generic model laid on the resting mouth), closed in the speech's pauses by <see cref="SilenceGate"/>. The motion
/// stage and `pipeline eval` both call this, so what eval scores is what a dub renders.
/// </summary>
public static class GatedMouths
{
    private const int Dim = SpeechPoints.FloatCount;

    /// <param name="model">From <see cref="DubMouthModel.FitFootage"/>; null when too few faces were usable to fit.</param>
    /// <param name="inputs">The speech's inputs on the target's frames; frames first..first+count-1 are predicted.</param>
    /// <param name="visemes">[count, 15] viseme posteriors of those frames: what the generic model reads when there is no model.</param>
    /// <param name="neutral">The target's resting mouth ([58], canonical frame), which the generic model deforms.</param>
    /// <param name="vad">[count] voice activity of those frames; 0 = pause.</param>
    public static void Predict(
        DubMouthModel? model, MouthInputs inputs, int first, int count, ReadOnlySpan<float> visemes, ReadOnlySpan<float> neutral,
        ReadOnlySpan<byte> vad, double fps, Span<float> shapes58Out)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (shapes58Out.Length < (long)count * Dim)
        {
            throw new ArgumentException($"{count} frames need room for {(long)count * Dim} shape floats", nameof(shapes58Out));
        }

        var closed = new float[count * Dim];
        if (model is not null)
        {
            model.Predict(inputs, first, count, shapes58Out);
            model.ClosedShapes(inputs, first, count, closed);
        }
        else
        {
            new GenericMouthModel(neutral).Predict(visemes, count, fps, shapes58Out);
            for (var i = 0; i < count; i++)
            {
                var shape = closed.AsSpan(i * Dim, Dim);
                neutral[..Dim].CopyTo(shape);
                SpeechPoints.CloseLips(shape);
            }
        }

        SilenceGate.ApplyPerFrame(shapes58Out, closed, vad, count, fps);
    }
}
