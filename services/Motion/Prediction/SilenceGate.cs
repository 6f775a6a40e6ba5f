namespace Pipeline.Motion.Prediction;

/// <summary>
/// Closes the mouth in pauses. Models driven by audio features keep twitching on breath and room noise;
/// a speaker who stops talking closes the mouth. So during each detected pause the predicted shape is blended
/// into the closed (neutral) shape with raised-cosine ramps at both ends: no chatter inside the pause and no
/// snap at its edges.
/// </summary>
public static class SilenceGate
{
    /// <summary>Pauses shorter than this are the gaps between words (stop closures, short breaks): left alone.</summary>
    public const double MinPauseSeconds = 0.15;

    /// <summary>
    /// Gates <paramref name="shapes58"/> ([n, 58], in place) towards <paramref name="closed58"/> in every run of
    /// vad = 0 lasting at least <see cref="MinPauseSeconds"/>. The ramps lie inside the pause: the first and last
    /// speech frames around it keep their shapes exactly, and the mouth reaches closed <paramref name="rampSeconds"/>
    /// after the pause begins and starts to open that long before speech resumes (lips lead the sound, so the
    /// opening ramp anticipates it). A pause shorter than two ramps peaks below fully closed. At the clip's
    /// edges there is nothing to ramp from, so a pause there is closed right up to the edge.
    /// </summary>
    public static void Apply(Span<float> shapes58, ReadOnlySpan<float> closed58, ReadOnlySpan<byte> vad, int n, double fps, double rampSeconds = 0.08) =>
        Apply(shapes58, closed58, 0, vad, n, fps, rampSeconds);

    /// <summary>
    /// As <see cref="Apply(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{byte}, int, double, double)"/>, with a
    /// closed mouth per frame ([n, 58]): the rest pose moved with the head, so closing does not also shift the mouth.
    /// </summary>
    public static void ApplyPerFrame(Span<float> shapes58, ReadOnlySpan<float> closedPerFrame58, ReadOnlySpan<byte> vad, int n, double fps, double rampSeconds = 0.08)
    {
        if (closedPerFrame58.Length < (long)n * SpeechPoints.FloatCount)
        {
            throw new ArgumentException($"{n} frames need {(long)n * SpeechPoints.FloatCount} closed-shape floats", nameof(closedPerFrame58));
        }

        Apply(shapes58, closedPerFrame58, SpeechPoints.FloatCount, vad, n, fps, rampSeconds);
    }

    private static void Apply(Span<float> shapes58, ReadOnlySpan<float> closed58, int closedStride, ReadOnlySpan<byte> vad, int n, double fps, double rampSeconds)
    {
        const int dim = SpeechPoints.FloatCount;
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(fps > 0) || !double.IsFinite(fps))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "the frame rate must be positive");
        }

        if (!(rampSeconds >= 0) || !double.IsFinite(rampSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(rampSeconds), rampSeconds, "the ramp must be a finite, non-negative duration");
        }

        if (shapes58.Length < (long)n * dim || closed58.Length < dim || vad.Length < n)
        {
            throw new ArgumentException($"{n} frames need {(long)n * dim} shape floats, {dim} closed-shape floats and {n} VAD flags", nameof(shapes58));
        }

        var ramp = (int)Math.Round(rampSeconds * fps); // in frame intervals; 0 = hard switch
        var t = 0;
        while (t < n)
        {
            if (vad[t] != 0)
            {
                t++;
                continue;
            }

            var start = t;
            while (t < n && vad[t] == 0)
            {
                t++;
            }

            var end = t; // exclusive
            if ((end - start) / fps < MinPauseSeconds - 1e-9)
            {
                continue;
            }

            for (var f = start; f < end; f++)
            {
                // Distance in frames to the last speech frame before and the first after (infinite at the clip's edges).
                var w = MathF.Min(
                    start == 0 ? 1f : Rise(f - (start - 1), ramp),
                    end == n ? 1f : Rise(end - f, ramp));
                if (w <= 0)
                {
                    continue;
                }

                var shape = shapes58.Slice(f * dim, dim);
                var closed = closed58.Slice(f * closedStride, dim);
                for (var j = 0; j < dim; j++)
                {
                    shape[j] += w * (closed[j] - shape[j]);
                }
            }
        }
    }

    /// <summary>
    /// Raised-cosine weight of a frame <paramref name="distance"/> frames from speech (the speech frame itself is
    /// at 0, weight 0): it rises over <paramref name="ramp"/> frame intervals and is 1 from there on.
    /// </summary>
    private static float Rise(int distance, int ramp) =>
        distance >= ramp ? 1f : (float)(0.5 - (0.5 * Math.Cos(Math.PI * distance / ramp)));
}
