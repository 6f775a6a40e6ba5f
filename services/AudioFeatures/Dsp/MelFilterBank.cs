namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax) with its defaults htk=False, norm='slaney': triangles
/// equally spaced on the Slaney mel scale (linear below 1 kHz, logarithmic above), each scaled to unit area.
/// Stored sparse (first bin + weights) because each band touches only a few FFT bins.
/// </summary>
public sealed class MelFilterBank
{
    private readonly int[] _firstBin;
    private readonly float[][] _weights;

    public MelFilterBank(int sampleRate, int fftSize, int bands, double fMin, double fMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        if (fMin < 0 || fMax <= fMin || fMax > sampleRate / 2.0)
        {
            throw new ArgumentOutOfRangeException(nameof(fMax), $"mel range {fMin}-{fMax} Hz is not inside 0-{sampleRate / 2} Hz");
        }

        SampleRate = sampleRate;
        FftSize = fftSize;
        Bands = bands;
        FMin = fMin;
        FMax = fMax;
        Bins = (fftSize / 2) + 1;
        var dense = Dense(sampleRate, fftSize, bands, fMin, fMax);
        _firstBin = new int[bands];
        _weights = new float[bands][];
        for (var b = 0; b < bands; b++)
        {
            var row = dense[b];
            var first = Array.FindIndex(row, w => w != 0);
            var last = Array.FindLastIndex(row, w => w != 0);
            _firstBin[b] = Math.Max(first, 0);
            _weights[b] = first < 0 ? [] : row[first..(last + 1)].Select(w => (float)w).ToArray();
        }
    }

    public int SampleRate { get; }

    public int FftSize { get; }

    public int Bands { get; }

    public int Bins { get; }

    public double FMin { get; }

    public double FMax { get; }

    /// <summary>Slaney's mel scale as librosa.hz_to_mel(htk=False).</summary>
    public static double HzToMel(double hz)
    {
        const double fSp = 200.0 / 3;
        const double minLogHz = 1000.0;
        const double minLogMel = minLogHz / fSp;
        var logStep = Math.Log(6.4) / 27.0;
        return hz >= minLogHz ? minLogMel + (Math.Log(hz / minLogHz) / logStep) : hz / fSp;
    }

    public static double MelToHz(double mel)
    {
        const double fSp = 200.0 / 3;
        const double minLogHz = 1000.0;
        const double minLogMel = minLogHz / fSp;
        var logStep = Math.Log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHz * Math.Exp(logStep * (mel - minLogMel)) : fSp * mel;
    }

    /// <summary>The full [bands, n_fft/2+1] weight matrix, in double, exactly as librosa builds it.</summary>
    public static double[][] Dense(int sampleRate, int fftSize, int bands, double fMin, double fMax)
    {
        var bins = (fftSize / 2) + 1;
        var fftFreqs = new double[bins];
        for (var k = 0; k < bins; k++)
        {
            fftFreqs[k] = (double)k * sampleRate / fftSize;
        }

        var melMin = HzToMel(fMin);
        var melMax = HzToMel(fMax);
        var melF = new double[bands + 2];
        for (var i = 0; i < bands + 2; i++)
        {
            melF[i] = MelToHz(melMin + ((melMax - melMin) * i / (bands + 1)));
        }

        var weights = new double[bands][];
        for (var b = 0; b < bands; b++)
        {
            var row = weights[b] = new double[bins];
            double lowDiff = melF[b + 1] - melF[b], highDiff = melF[b + 2] - melF[b + 1];
            var enorm = 2.0 / (melF[b + 2] - melF[b]);
            for (var k = 0; k < bins; k++)
            {
                var lower = (fftFreqs[k] - melF[b]) / lowDiff;
                var upper = (melF[b + 2] - fftFreqs[k]) / highDiff;
                row[k] = Math.Max(0, Math.Min(lower, upper)) * enorm;
            }
        }

        return weights;
    }

    /// <summary>mel[b] = sum_k W[b, k] * spectrum[k] for a magnitude or power spectrum of <see cref="Bins"/> values.</summary>
    public void Apply(ReadOnlySpan<float> spectrum, Span<float> mel)
    {
        if (spectrum.Length < Bins || mel.Length < Bands)
        {
            throw new ArgumentException($"need {Bins} spectrum bins and {Bands} mel outputs");
        }

        for (var b = 0; b < Bands; b++)
        {
            var w = _weights[b];
            var s = spectrum.Slice(_firstBin[b], w.Length);
            var sum = 0f;
            for (var k = 0; k < w.Length; k++)
            {
                sum += w[k] * s[k];
            }

            mel[b] = sum;
        }
    }
}
