namespace Pipeline.FaceGeometry.Tests;

/// <summary>Measurements on single-channel test signals.</summary>
internal static class Signals
{
    /// <summary>
    /// Jitter: the standard deviation of the frame-to-frame change of the error against the clean signal.
    /// Differencing removes slow bias (lag, amplitude loss) and keeps the frame-rate noise that shows.
    /// </summary>
    public static double Jitter(ReadOnlySpan<float> signal, ReadOnlySpan<float> clean, int skip)
    {
        var n = signal.Length - skip - 1;
        double sum = 0, sumSq = 0;
        for (var i = skip; i < skip + n; i++)
        {
            var d = (signal[i + 1] - clean[i + 1]) - (signal[i] - clean[i]);
            sum += d;
            sumSq += d * d;
        }

        var mean = sum / n;
        return Math.Sqrt(sumSq / n - mean * mean);
    }

    /// <summary>The lag (frames, positive = <paramref name="signal"/> late) that maximises the cross-correlation.</summary>
    public static int PeakLag(ReadOnlySpan<float> signal, ReadOnlySpan<float> clean, int maxLag)
    {
        double ms = Mean(signal), mc = Mean(clean);
        var best = double.NegativeInfinity;
        var bestLag = 0;
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            double sum = 0;
            for (var t = maxLag; t < signal.Length - maxLag; t++)
            {
                sum += (signal[t] - ms) * (clean[t - lag] - mc);
            }

            if (sum > best)
            {
                best = sum;
                bestLag = lag;
            }
        }

        return bestLag;
    }

    /// <summary>
    /// Amplitude and phase (radians) of the <paramref name="hz"/> component, by least squares on
    /// sin, cos and a constant over frames [<paramref name="first"/>, <paramref name="end"/>).
    /// </summary>
    public static (double Amplitude, double Phase) Sinusoid(ReadOnlySpan<float> signal, double fps, double hz, int first, int end)
    {
        // Normal equations of the 3-parameter fit, solved by Cramer's rule.
        double ss = 0, sc = 0, s1 = 0, cc = 0, c1 = 0, n = 0, ys = 0, yc = 0, y1 = 0;
        for (var i = first; i < end; i++)
        {
            var w = 2 * Math.PI * hz * i / fps;
            double s = Math.Sin(w), c = Math.Cos(w), y = signal[i];
            ss += s * s;
            sc += s * c;
            s1 += s;
            cc += c * c;
            c1 += c;
            n += 1;
            ys += y * s;
            yc += y * c;
            y1 += y;
        }

        var det = Det(ss, sc, s1, sc, cc, c1, s1, c1, n);
        var a = Det(ys, sc, s1, yc, cc, c1, y1, c1, n) / det;
        var b = Det(ss, ys, s1, sc, yc, c1, s1, y1, n) / det;
        return (Math.Sqrt(a * a + b * b), Math.Atan2(b, a));
    }

    public static float[] Noise(int length, double sigma, int seed)
    {
        var values = new float[length];
        Faces.AddNoise(values, sigma, new Random(seed));
        return values;
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    private static double Det(double a, double b, double c, double d, double e, double f, double g, double h, double i) =>
        a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}
