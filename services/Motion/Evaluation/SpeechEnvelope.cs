namespace Pipeline.Motion.Evaluation;

/// <summary>
/// The loudness signal that the sync metric and the energy baseline compare mouth motion with: per-frame
/// energy in dBFS (10·log10 of the mean square, as the feature sidecar stores it) turned into linear RMS
/// amplitude, 10^(dB/20), then smoothed by a zero-phase [1 2 1]/4 kernel.
/// </summary>
/// <remarks>
/// Linear rather than dB because on a dB scale the silences dominate: the floor (−120 dBFS for digital
/// silence, −60 for room noise) swings further than speech does, while the mouth stays shut through all of
/// it; in linear amplitude every silence is ≈ 0 and the variation lives where the speech is. The light
/// smoothing removes frame-to-frame flicker (a plosive burst, a single loud frame) that the jaw, a slow
/// articulator, cannot follow; the kernel is symmetric so it cannot shift the lag being measured.
/// </remarks>
internal static class SpeechEnvelope
{
    public static double[] FromDbfs(ReadOnlySpan<float> energyDbfs, int frames)
    {
        LandmarkMetrics.RequireFrames(energyDbfs, frames, nameof(energyDbfs));
        var amplitude = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            var db = energyDbfs[f];
            amplitude[f] = float.IsFinite(db) ? Math.Pow(10, db / 20.0) : 0;
        }

        var envelope = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            // Edges repeat the end value, so the first and last frames are not pulled towards zero.
            var previous = amplitude[Math.Max(0, f - 1)];
            var next = amplitude[Math.Min(frames - 1, f + 1)];
            envelope[f] = 0.25 * (previous + (2 * amplitude[f]) + next);
        }

        return envelope;
    }
}
