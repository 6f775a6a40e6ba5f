namespace Pipeline.AudioFeatures.Tests;

/// <summary>Deterministic test signals at 16 kHz.</summary>
internal static class Signals
{
    public const int Rate = 16000;

    public static float[] Tone(double hz, double seconds, double amplitude = 0.5, double phase = 0)
    {
        var x = new float[(int)Math.Round(seconds * Rate)];
        for (var n = 0; n < x.Length; n++)
        {
            x[n] = (float)(amplitude * Math.Sin((2 * Math.PI * hz * n / Rate) + phase));
        }

        return x;
    }

    /// <summary>Linear chirp from f0 to f1 Hz.</summary>
    public static float[] Chirp(double f0, double f1, double seconds, double amplitude = 0.5)
    {
        var x = new float[(int)Math.Round(seconds * Rate)];
        for (var n = 0; n < x.Length; n++)
        {
            var t = (double)n / Rate;
            x[n] = (float)(amplitude * Math.Sin(2 * Math.PI * ((f0 * t) + ((f1 - f0) * t * t / (2 * seconds)))));
        }

        return x;
    }

    /// <summary>Uniform white noise at a given RMS, seeded.</summary>
    public static float[] Noise(double seconds, double rms, int seed = 1)
    {
        var random = new Random(seed);
        var x = new float[(int)Math.Round(seconds * Rate)];
        var scale = rms * Math.Sqrt(3); // uniform on [-a, a] has RMS a / sqrt(3)
        for (var n = 0; n < x.Length; n++)
        {
            x[n] = (float)(scale * ((2 * random.NextDouble()) - 1));
        }

        return x;
    }

    public static float[] Concat(params float[][] parts) => parts.SelectMany(p => p).ToArray();

    public static float[] Add(float[] a, float[] b) => a.Zip(b, (x, y) => x + y).ToArray();

    public static float[] Silence(double seconds) => new float[(int)Math.Round(seconds * Rate)];
}
