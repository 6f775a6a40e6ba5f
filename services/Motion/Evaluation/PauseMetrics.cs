namespace Pipeline.Motion.Evaluation;

/// <summary>
/// Does the mouth rest when the speaker does? A model that keeps chattering through silences is one of the
/// most visible failures of audio-driven faces, and the landmark distances barely register it.
/// </summary>
public static class PauseMetrics
{
    /// <summary>A silence shorter than this is a gap between words (a stop closure, a breath), not a pause.</summary>
    internal const double MinPauseSeconds = 0.2;

    /// <summary>
    /// Left out at each end of a pause: the mouth is still closing from the last sound or already opening for
    /// the next one, and the voice-activity edges are only accurate to a frame or two.
    /// </summary>
    internal const double PauseEdgeSeconds = 0.1;

    /// <summary>
    /// Median mouth opening inside pauses over the median opening during speech. A pause is a run of
    /// <paramref name="vad"/> = 0 lasting at least <see cref="MinPauseSeconds"/>; only its frames whose centre
    /// lies at least <see cref="PauseEdgeSeconds"/> from both ends of the run count. Speech is every frame with
    /// vad = 1. Frames with a non-finite opening (no face) are skipped.
    /// </summary>
    /// <returns>
    /// The ratio (≈ 0.2 for real talking faces, near 1 when the mouth ignores silence); NaN when there is no
    /// pause frame, no speech frame, or the speech median is not positive (the ratio means nothing then).
    /// </returns>
    public static double PauseOpeningRatio(ReadOnlySpan<double> opening, ReadOnlySpan<byte> vad, int frames, double fps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (!(fps > 0) || !double.IsFinite(fps))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "frame rate must be positive");
        }

        LandmarkMetrics.RequireFrames(opening, frames, nameof(opening));
        LandmarkMetrics.RequireFrames(vad, frames, nameof(vad));

        var values = new double[frames];
        var count = 0;
        var start = 0;
        while (NextPause(vad, frames, fps, ref start, out var runStart, out var runEnd))
        {
            for (var f = runStart; f < runEnd; f++)
            {
                if (IsPauseInterior(f, runStart, runEnd, fps) && double.IsFinite(opening[f]))
                {
                    values[count++] = opening[f];
                }
            }
        }

        var pause = Statistics.MedianInPlace(values.AsSpan(0, count));
        count = 0;
        for (var f = 0; f < frames; f++)
        {
            if (vad[f] != 0 && double.IsFinite(opening[f]))
            {
                values[count++] = opening[f];
            }
        }

        var speech = Statistics.MedianInPlace(values.AsSpan(0, count));
        return double.IsNaN(pause) || !(speech > 0) ? double.NaN : pause / speech;
    }

    /// <summary>
    /// Finds the next pause (a vad = 0 run of at least <see cref="MinPauseSeconds"/>) at or after
    /// <paramref name="from"/>, and moves <paramref name="from"/> past it. Shared with the plots so that the
    /// shaded pauses are exactly the ones measured.
    /// </summary>
    internal static bool NextPause(ReadOnlySpan<byte> vad, int frames, double fps, ref int from, out int start, out int end)
    {
        var f = from;
        while (f < frames)
        {
            while (f < frames && vad[f] != 0)
            {
                f++;
            }

            var runStart = f;
            while (f < frames && vad[f] == 0)
            {
                f++;
            }

            // A hair of tolerance: at 25 fps a 5-frame run is 0.2 s, which floating point may read as 0.19999.
            if (f > runStart && (f - runStart) / fps >= MinPauseSeconds - 1e-9)
            {
                (from, start, end) = (f, runStart, f);
                return true;
            }
        }

        (from, start, end) = (frames, frames, frames);
        return false;
    }

    /// <summary>Whether frame <paramref name="f"/>'s centre is at least <see cref="PauseEdgeSeconds"/> inside the run.</summary>
    internal static bool IsPauseInterior(int f, int runStart, int runEnd, double fps)
    {
        var centre = f + 0.5;
        return (centre - runStart) / fps >= PauseEdgeSeconds - 1e-9 && (runEnd - centre) / fps >= PauseEdgeSeconds - 1e-9;
    }
}
