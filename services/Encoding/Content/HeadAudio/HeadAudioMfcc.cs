namespace Pipeline.Encoding.Content.HeadAudio;

/// <summary>
/// HeadAudio's MFCC (mfcc.mjs), reproduced operation for operation: 512-point Hamming window and radix-2 FFT,
/// power / N, 40 triangular mel filters on 30-7800 Hz (optionally warped by the speaker's mean F0), log10, DCT-II
/// rows 1..12 scaled sqrt(2/40), lifter 22. Tables and intermediate arrays are float32 as the JS Float32Arrays are,
/// and sums run in double as JS numbers do, so the vectors match the JS to float rounding.
/// </summary>
public sealed class HeadAudioMfcc
{
    public const int N = 512;
    public const int Coefficients = 12;
    public const int MelBands = 40;
    public const int SampleRate = 16000;
    private const int Lifter = 22;

    private readonly float[] _cosSin = new float[2 * N];
    private readonly int[] _bitrev = new int[N];
    private readonly float[] _spectrum = new float[2 * N];
    private readonly float[] _power = new float[N / 2];
    private readonly float[][] _melFilters;
    private readonly float[] _melEnergies = new float[MelBands];
    private readonly float[] _hamming = new float[N];
    private readonly float[][] _dct;
    private readonly float[] _lifter = new float[Coefficients];

    public HeadAudioMfcc(double speakerMeanHz = 150)
    {
        var theta = -2 * Math.PI / N;
        for (var i = 0; i < N; i++)
        {
            _cosSin[2 * i] = (float)Math.Cos(theta * i);
            _cosSin[(2 * i) + 1] = (float)Math.Sin(theta * i);
            var j = 0;
            for (var k = 0; k < 9; k++)
            {
                j = (j << 1) | ((i >> k) & 1);
            }

            _bitrev[i] = j;
            _hamming[i] = (float)(0.54 - (0.46 * Math.Cos(2 * Math.PI * i / (N - 1))));
        }

        _melFilters = new float[MelBands][];
        for (var m = 0; m < MelBands; m++)
        {
            _melFilters[m] = new float[N / 2];
        }

        BuildMelFilterbank(speakerMeanHz);

        var scale = Math.Sqrt(2.0 / MelBands);
        _dct = new float[Coefficients + 1][];
        for (var i = 0; i <= Coefficients; i++)
        {
            _dct[i] = new float[MelBands];
            for (var j = 0; j < MelBands; j++)
            {
                _dct[i][j] = (float)(scale * Math.Cos(Math.PI * i * (j + 0.5) / MelBands));
            }
        }

        for (var i = 1; i <= Coefficients; i++)
        {
            _lifter[i - 1] = (float)(1 + (Lifter / 2.0 * Math.Sin(Math.PI * i / Lifter)));
        }
    }

    /// <summary>Computes 12 MFCCs of a 512-sample block into <paramref name="mfcc"/>; returns log10 energy (le).</summary>
    public double Compute(ReadOnlySpan<float> block, Span<float> mfcc)
    {
        if (block.Length != N || mfcc.Length < Coefficients)
        {
            throw new ArgumentException($"need a {N}-sample block and room for {Coefficients} coefficients");
        }

        HammingAndFft(block);
        var total = 0.0;
        for (var k = 0; k < N / 2; k++)
        {
            double re = _spectrum[2 * k];
            double im = _spectrum[(2 * k) + 1];
            var p = (float)(((re * re) + (im * im)) / N);
            _power[k] = p;
            total += p;
        }

        var le = Math.Log10(total + 1e-10);
        for (var m = 0; m < MelBands; m++)
        {
            var f = _melFilters[m];
            var sum = 0.0;
            for (var k = 0; k < f.Length; k++)
            {
                sum += (double)_power[k] * f[k];
            }

            _melEnergies[m] = (float)Math.Log10(sum + 1e-10);
        }

        for (var i = 0; i < Coefficients; i++)
        {
            var row = _dct[i + 1];
            var sum = 0.0;
            for (var j = 0; j < MelBands; j++)
            {
                sum += (double)row[j] * _melEnergies[j];
            }

            mfcc[i] = (float)(sum * _lifter[i]);
        }

        return le;
    }

    private void HammingAndFft(ReadOnlySpan<float> input)
    {
        var s = _spectrum;
        for (var i = 0; i < N; i++)
        {
            var idx = _bitrev[i];
            s[2 * idx] = (float)((double)input[i] * _hamming[i]);
            s[(2 * idx) + 1] = 0f;
        }

        for (var i = 1; i < N; i <<= 1)
        {
            var step = i << 1;
            var delta = N / step;
            for (var k = 0; k < i; k++)
            {
                var tw = 2 * k * delta;
                double twR = _cosSin[tw];
                double twI = _cosSin[tw + 1];
                for (var j = k; j < N; j += step)
                {
                    var i0 = j << 1;
                    var i1 = (j + i) << 1;
                    double s0R = s[i0], s0I = s[i0 + 1], s1R = s[i1], s1I = s[i1 + 1];
                    var v1R = (s1R * twR) - (s1I * twI);
                    var v1I = (s1R * twI) + (s1I * twR);
                    s[i0] = (float)(s0R + v1R);
                    s[i0 + 1] = (float)(s0I + v1I);
                    s[i1] = (float)(s0R - v1R);
                    s[i1 + 1] = (float)(s0I - v1I);
                }
            }
        }
    }

    private void BuildMelFilterbank(double f0)
    {
        const double lowFreq = 30, highFreq = 7800;
        var warp = Math.Min(Math.Max(f0 / 150.0, 0.6), 1.8);
        static double Mel(double f) => 2595 * Math.Log10(1 + (f / 700));
        static double MelInv(double m) => 700 * (Math.Pow(10, m / 2595) - 1);
        var melLow = Mel(lowFreq);
        var melRange = Mel(highFreq) - melLow;
        var bin = new int[MelBands + 2];
        for (var i = 0; i < bin.Length; i++)
        {
            var m = melLow + (melRange / (MelBands + 1) * i);
            var point = (float)MelInv(melLow + ((m - melLow) * warp)); // a Float32Array in the JS
            bin[i] = (int)Math.Floor((double)point / SampleRate * N);
        }

        foreach (var f in _melFilters)
        {
            Array.Clear(f);
        }

        for (var i = 0; i < MelBands; i++)
        {
            var fbank = _melFilters[i];
            // A typed-array write past the end is a no-op in JS; a strong warp pushes upper bins past Nyquist.
            for (var k = bin[i]; k < Math.Min(bin[i + 1], N / 2); k++)
            {
                fbank[k] = (float)((double)(k - bin[i]) / (bin[i + 1] - bin[i]));
            }

            for (var k = bin[i + 1]; k < Math.Min(bin[i + 2], N / 2); k++)
            {
                fbank[k] = (float)((double)(bin[i + 2] - k) / (bin[i + 2] - bin[i + 1]));
            }
        }
    }
}
