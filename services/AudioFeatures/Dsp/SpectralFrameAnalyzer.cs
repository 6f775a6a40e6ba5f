namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// The 10 ms analysis frame: a 25 ms periodic-Hann window zero-padded to a 512-point FFT, giving the 80-band
/// log-mel, the 13 MFCCs (DCT-II, orthonormal, of a 40-band log-mel) and the frame's mean square. All buffers
/// are allocated once.
/// </summary>
public sealed class SpectralFrameAnalyzer
{
    public const int SampleRate = 16000;
    public const int Hop = 160;
    public const int WindowLength = 400;
    public const int FftSize = 512;
    public const int MelBands = 80;
    public const double MelFMin = 55;
    public const double MelFMax = 7600;
    public const int MfccBands = 40;
    public const double MfccFMin = 20;
    public const double MfccFMax = 8000;
    public const int MfccCount = 13;

    /// <summary>Floor on mel power before the log, so digital silence gives ln(1e-10) = -23.03, never -inf.</summary>
    public const float PowerFloor = 1e-10f;

    private readonly RealFft _fft = new(FftSize);
    private readonly float[] _window = Windows.PeriodicHann(WindowLength);
    private readonly MelFilterBank _mel = new(SampleRate, FftSize, MelBands, MelFMin, MelFMax);
    private readonly MelFilterBank _mfccMel = new(SampleRate, FftSize, MfccBands, MfccFMin, MfccFMax);
    private readonly float[] _dct = Dct.OrthonormalMatrix(MfccCount, MfccBands);
    private readonly float[] _windowed = new float[FftSize];
    private readonly float[] _re = new float[(FftSize / 2) + 1];
    private readonly float[] _im = new float[(FftSize / 2) + 1];
    private readonly float[] _power = new float[(FftSize / 2) + 1];
    private readonly float[] _mfccLogMel = new float[MfccBands];

    /// <summary>
    /// Analyses <paramref name="samples"/> (the 400 samples centred on the frame) into log-mel (natural log of
    /// power), MFCCs, and returns the mean square of the unwindowed samples.
    /// </summary>
    public float Analyse(ReadOnlySpan<float> samples, Span<float> logMel, Span<float> mfcc)
    {
        if (samples.Length != WindowLength || logMel.Length != MelBands || mfcc.Length != MfccCount)
        {
            throw new ArgumentException("analysis frame shapes do not match");
        }

        var sumSquares = 0.0;
        for (var n = 0; n < WindowLength; n++)
        {
            var x = samples[n];
            sumSquares += x * x;
            _windowed[n] = x * _window[n];
        }

        _fft.Forward(_windowed, _re, _im);
        for (var k = 0; k < _power.Length; k++)
        {
            _power[k] = (_re[k] * _re[k]) + (_im[k] * _im[k]);
        }

        _mel.Apply(_power, logMel);
        LogFloor(logMel);
        _mfccMel.Apply(_power, _mfccLogMel);
        LogFloor(_mfccLogMel);
        Dct.Apply(_dct, _mfccLogMel, mfcc);
        return (float)(sumSquares / WindowLength);
    }

    private static void LogFloor(Span<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Log(MathF.Max(values[i], PowerFloor));
        }
    }
}
