namespace Pipeline.Motion.Evaluation;

/// <summary>
/// Audio-visual sync from landmarks alone: the normalised cross-correlation between the mouth opening and
/// the speech envelope, read SyncNet-style as an offset and a peak-to-median confidence.
/// </summary>
public static class SyncMetrics
{
    /// <summary>
    /// Correlates <paramref name="mouthOpening"/> with the speech envelope at every lag in
    /// −<paramref name="maxLag"/>..+<paramref name="maxLag"/> frames.
    /// </summary>
    /// <param name="mouthOpening">Per-frame mouth opening (e.g. <see cref="LandmarkMetrics.Opening"/>).</param>
    /// <param name="speechEnvelope">
    /// Per-frame speech energy in dBFS, as the feature sidecar stores it. It is converted to linear RMS amplitude
    /// and smoothed by a zero-phase [1 2 1]/4 kernel before the correlation (see <see cref="SpeechEnvelope"/>).
    /// </param>
    /// <param name="valid">Frames whose mouth opening is measured (the face was there); others are left out.</param>
    /// <returns>
    /// <c>LagFrames</c>: the lag k with the highest correlation between opening[f] and envelope[f − k]. Positive
    /// means the mouth lags behind the audio (it moves k frames after the sound it should match); negative
    /// means it leads. Ties go to the smallest |k|, so a signal with no relation at all reads 0.
    /// <c>Confidence</c>: the peak correlation minus the median correlation over all lags. A real match stands
    /// out of its own neighbourhood (≈ 1 for a perfect copy), noise does not (≈ 0.1 at a few hundred frames).
    /// Correlations that are undefined (a constant side, fewer than two pairs) count as 0, so a mouth that never
    /// moves scores (0, 0).
    /// </returns>
    public static (int LagFrames, double Confidence) Measure(ReadOnlySpan<double> mouthOpening, ReadOnlySpan<float> speechEnvelope, ReadOnlySpan<byte> valid, int frames, int maxLag = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLag);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLag, 1000);
        LandmarkMetrics.RequireFrames(mouthOpening, frames, nameof(mouthOpening));
        LandmarkMetrics.RequireFrames(valid, frames, nameof(valid));
        var envelope = SpeechEnvelope.FromDbfs(speechEnvelope, frames);

        var lags = (2 * maxLag) + 1;
        Span<double> correlations = lags <= 256 ? stackalloc double[lags] : new double[lags];
        var bestLag = 0;
        var best = double.NegativeInfinity;
        for (var i = 0; i < lags; i++)
        {
            // Visit 0, +1, −1, +2, −2, ... and keep only strict improvements: ties go to the smaller offset.
            var lag = (i + 1) / 2 * (i % 2 == 1 ? 1 : -1);
            var r = CorrelationAt(mouthOpening, envelope, valid, frames, lag);
            correlations[i] = r;
            if (r > best)
            {
                best = r;
                bestLag = lag;
            }
        }

        return (bestLag, best - Statistics.MedianInPlace(correlations));
    }

    /// <summary>Pearson r of opening[f] against envelope[f − lag] over the valid frames where both exist.</summary>
    private static double CorrelationAt(ReadOnlySpan<double> opening, ReadOnlySpan<double> envelope, ReadOnlySpan<byte> valid, int frames, int lag)
    {
        var from = Math.Max(0, lag);
        var to = Math.Min(frames, frames + lag);
        double sx = 0, sy = 0;
        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity, minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        var n = 0;
        for (var f = from; f < to; f++)
        {
            if (valid[f] != 0 && double.IsFinite(opening[f]))
            {
                var (x, y) = (opening[f], envelope[f - lag]);
                sx += x;
                sy += y;
                (minX, maxX) = (Math.Min(minX, x), Math.Max(maxX, x));
                (minY, maxY) = (Math.Min(minY, y), Math.Max(maxY, y));
                n++;
            }
        }

        if (n < 2 || Statistics.IsConstant(minX, maxX) || Statistics.IsConstant(minY, maxY))
        {
            return 0;
        }

        // Means of this lag's own overlap, so the shrinking overlap at large lags does not bias r.
        double mx = sx / n, my = sy / n, sxy = 0, sxx = 0, syy = 0;
        for (var f = from; f < to; f++)
        {
            if (valid[f] != 0 && double.IsFinite(opening[f]))
            {
                var dx = opening[f] - mx;
                var dy = envelope[f - lag] - my;
                sxy += dx * dy;
                sxx += dx * dx;
                syy += dy * dy;
            }
        }

        return Statistics.Correlation(sxy, sxx, syy);
    }
}
