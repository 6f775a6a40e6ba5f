using Pipeline.AudioFeatures.Dsp;
using Pipeline.TestSupport;

namespace Pipeline.AudioFeatures.Tests;

public sealed class Wav2LipMelTests
{
    [Theory]
    [InlineData(8123)] // 0.51 s: frames reach into the reflected tail
    [InlineData(16000)]
    public async Task Matches_a_plain_reference_written_from_the_formulas(int length)
    {
        var signal = FixedSignal(length);
        using var scratch = new ScratchDirectory("af-w2l");
        var run = await FeatureRun.ExtractAsync(scratch, signal, chunk: 333);
        var expected = Reference(signal);

        Assert.Equal(expected.GetLength(0), run.MelFrames);
        var worst = 0.0;
        for (var t = 0; t < expected.GetLength(0); t++)
        {
            for (var b = 0; b < 80; b++)
            {
                worst = Math.Max(worst, Math.Abs(expected[t, b] - run.Wav2Lip[(t * 80) + b]));
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"max |ours - reference| = {worst:E2} over {expected.Length} values");
        Assert.True(worst < 1e-3, $"max difference {worst}");
    }

    /// <summary>Harmonics, a glide and seeded noise: broadband, deterministic, never near the -100 dB floor.</summary>
    private static float[] FixedSignal(int length)
    {
        var random = new Random(42);
        var x = new float[length];
        for (var n = 0; n < length; n++)
        {
            var t = n / 16000.0;
            x[n] = (float)((0.3 * Math.Sin(2 * Math.PI * 180 * t)) + (0.1 * Math.Sin(2 * Math.PI * 540 * t))
                + (0.05 * Math.Sin(2 * Math.PI * ((900 * t) + (1500 * t * t)))) + (0.02 * ((2 * random.NextDouble()) - 1)));
        }

        return x;
    }

    /// <summary>
    /// Wav2Lip's audio.melspectrogram, written out the slow way in double precision: lfilter pre-emphasis,
    /// np.pad reflect by n_fft/2, periodic Hann, a naive DFT, librosa's Slaney mel weights, amp_to_db and normalise.
    /// Returns [frames, 80].
    /// </summary>
    private static double[,] Reference(float[] x)
    {
        const int nFft = 800, hop = 200, pad = 400, mels = 80, sr = 16000;
        var y = new double[x.Length];
        for (var n = 0; n < x.Length; n++)
        {
            y[n] = n == 0 ? x[0] : x[n] - (0.97 * x[n - 1]);
        }

        var padded = new double[y.Length + (2 * pad)];
        for (var i = 0; i < padded.Length; i++)
        {
            var j = i - pad;
            if (j < 0)
            {
                j = -j;
            }

            if (j >= y.Length)
            {
                j = (2 * (y.Length - 1)) - j;
            }

            padded[i] = y[j];
        }

        var frames = 1 + ((padded.Length - nFft) / hop);
        var bins = (nFft / 2) + 1;

        static double HzToMel(double f) => f < 1000 ? f / (200.0 / 3) : 15 + (Math.Log(f / 1000) / (Math.Log(6.4) / 27));
        static double MelToHz(double m) => m < 15 ? m * 200.0 / 3 : 1000 * Math.Exp((Math.Log(6.4) / 27) * (m - 15));
        var melPoints = Enumerable.Range(0, mels + 2)
            .Select(i => MelToHz(HzToMel(55) + ((HzToMel(7600) - HzToMel(55)) * i / (mels + 1))))
            .ToArray();
        var weights = new double[mels, bins];
        for (var m = 0; m < mels; m++)
        {
            for (var k = 0; k < bins; k++)
            {
                var f = k * (double)sr / nFft;
                var rise = (f - melPoints[m]) / (melPoints[m + 1] - melPoints[m]);
                var fall = (melPoints[m + 2] - f) / (melPoints[m + 2] - melPoints[m + 1]);
                weights[m, k] = Math.Max(0, Math.Min(rise, fall)) * 2 / (melPoints[m + 2] - melPoints[m]);
            }
        }

        var cos = new double[nFft];
        var sin = new double[nFft];
        for (var i = 0; i < nFft; i++)
        {
            cos[i] = Math.Cos(2 * Math.PI * i / nFft);
            sin[i] = Math.Sin(2 * Math.PI * i / nFft);
        }

        var result = new double[frames, mels];
        var frame = new double[nFft];
        var magnitude = new double[bins];
        for (var t = 0; t < frames; t++)
        {
            for (var n = 0; n < nFft; n++)
            {
                frame[n] = padded[(t * hop) + n] * (0.5 - (0.5 * cos[n]));
            }

            for (var k = 0; k < bins; k++)
            {
                double re = 0, im = 0;
                for (var n = 0; n < nFft; n++)
                {
                    var index = k * n % nFft;
                    re += frame[n] * cos[index];
                    im -= frame[n] * sin[index];
                }

                magnitude[k] = Math.Sqrt((re * re) + (im * im));
            }

            for (var m = 0; m < mels; m++)
            {
                var mel = 0.0;
                for (var k = 0; k < bins; k++)
                {
                    mel += weights[m, k] * magnitude[k];
                }

                var db = (20 * Math.Log10(Math.Max(1e-5, mel))) - 20;
                result[t, m] = Math.Clamp((8 * ((db + 100) / 100)) - 4, -4, 4);
            }
        }

        return result;
    }
}
