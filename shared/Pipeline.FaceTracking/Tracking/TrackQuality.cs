using Pipeline.FaceGeometry;

namespace Pipeline.FaceTracking.Tracking;

/// <summary>
/// Figures that say whether a face track is usable, computed from its raw and smoothed landmarks (slot 0):
/// jitter on the nose bridge while the head is still, before and after smoothing, and the lag between the raw and
/// smoothed mouth-opening signals (it must be 0: smoothing may not delay the lips).
/// </summary>
public static class TrackQuality
{
    /// <summary>A frame counts as "head still" when the smoothed nose bridge moves less than this (inter-ocular units per frame).</summary>
    public const double StillSpeed = 0.01;

    /// <param name="raw">[frames, 136] raw landmarks (NaN rows = no face).</param>
    /// <param name="smoothed">[frames, 136] smoothed landmarks.</param>
    public static TrackQualityReport Measure(ReadOnlySpan<float> raw, ReadOnlySpan<float> smoothed, int frames, int maxLag = 5)
    {
        double rawJitter = 0, smoothJitter = 0;
        var still = 0;
        var pairs = 0;
        var openRaw = new double[frames];
        var openSmooth = new double[frames];
        var valid = new bool[frames];
        for (var f = 0; f < frames; f++)
        {
            var r = raw.Slice(f * 136, 136);
            var s = smoothed.Slice(f * 136, 136);
            valid[f] = float.IsFinite(r[0]) && float.IsFinite(s[0]);
            if (!valid[f])
            {
                continue;
            }

            openRaw[f] = Landmarks68.MouthOpening(r);
            openSmooth[f] = Landmarks68.MouthOpening(s);
            if (f == 0 || !valid[f - 1])
            {
                continue;
            }

            pairs++;
            var iod = Math.Max(1.0, Landmarks68.InterOcular(s));
            var smoothMove = NoseBridgeMotion(smoothed.Slice((f - 1) * 136, 136), s) / iod;
            if (smoothMove < StillSpeed)
            {
                still++;
                rawJitter += NoseBridgeMotion(raw.Slice((f - 1) * 136, 136), r) / iod;
                smoothJitter += smoothMove;
            }
        }

        var lag = PeakLag(openRaw, openSmooth, valid, maxLag, out var peak);
        return new TrackQualityReport(frames, pairs, still, still > 0 ? rawJitter / still : double.NaN, still > 0 ? smoothJitter / still : double.NaN, lag, peak);
    }

    // Mean displacement of the four nose-bridge points (27-30) between two frames, in pixels.
    private static double NoseBridgeMotion(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var p = 27; p <= 30; p++)
        {
            var dx = b[2 * p] - a[2 * p];
            var dy = b[(2 * p) + 1] - a[(2 * p) + 1];
            sum += Math.Sqrt((dx * dx) + (dy * dy));
        }

        return sum / 4;
    }

    /// <summary>The lag (frames, smoothed relative to raw) of the peak normalised cross-correlation of the mean-removed signals.</summary>
    public static int PeakLag(double[] a, double[] b, bool[] valid, int maxLag, out double peak)
    {
        double ma = 0, mb = 0;
        var n = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (valid[i])
            {
                ma += a[i];
                mb += b[i];
                n++;
            }
        }

        peak = double.NaN;
        if (n < 3)
        {
            return 0;
        }

        ma /= n;
        mb /= n;
        var best = 0;
        var bestValue = double.NegativeInfinity;
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            double dot = 0, na = 0, nb = 0;
            for (var i = 0; i < a.Length; i++)
            {
                var j = i + lag;
                if (j < 0 || j >= b.Length || !valid[i] || !valid[j])
                {
                    continue;
                }

                var x = a[i] - ma;
                var y = b[j] - mb;
                dot += x * y;
                na += x * x;
                nb += y * y;
            }

            var r = na > 0 && nb > 0 ? dot / Math.Sqrt(na * nb) : 0;
            if (r > bestValue)
            {
                bestValue = r;
                best = lag;
            }
        }

        peak = bestValue;
        return best;
    }
}

/// <summary>Jitter is mean nose-bridge motion per frame (inter-ocular units) over the frames where the head is still.</summary>
public sealed record TrackQualityReport(int Frames, int FramePairs, int StillFrames, double RawJitter, double SmoothedJitter, int MouthLag, double MouthCorrelation)
{
    public double JitterRatio => RawJitter > 0 ? SmoothedJitter / RawJitter : double.NaN;
}
