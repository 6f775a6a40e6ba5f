namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// One frame of Wav2Lip's audio.melspectrogram (hparams of the reference repo): the caller supplies the 800
/// pre-emphasised samples of the centred frame; this applies the periodic Hann window, |STFT|, the Slaney mel
/// bank (80 bands, 55-7600 Hz), 20*log10(max(1e-5, x)) - 20 dB, and the symmetric [-4, 4] normalisation.
/// </summary>
public sealed class Wav2LipMel
{
    public const int SampleRate = 16000;
    public const int FftSize = 800;
    public const int Hop = 200;
    public const int WindowLength = 800;
    public const int Bands = 80;
    public const double FMin = 55;
    public const double FMax = 7600;
    public const float PreEmphasis = 0.97f;
    public const float RefLevelDb = 20;
    public const float MinLevelDb = -100;
    public const float MaxAbsValue = 4;

    /// <summary>Mel frames per second: the clock consumers index with int(i * 80 / fps).</summary>
    public const int FramesPerSecond = SampleRate / Hop;

    private readonly RealFft _fft = new(FftSize);
    private readonly float[] _window = Windows.PeriodicHann(WindowLength);
    private readonly MelFilterBank _mel = new(SampleRate, FftSize, Bands, FMin, FMax);
    private readonly float[] _windowed = new float[FftSize];
    private readonly float[] _re = new float[(FftSize / 2) + 1];
    private readonly float[] _im = new float[(FftSize / 2) + 1];
    private readonly float[] _magnitude = new float[(FftSize / 2) + 1];

    /// <summary>librosa's centred frame count: 1 + samples // hop (none for an empty signal).</summary>
    public static long FrameCount(long samples) => samples <= 0 ? 0 : 1 + (samples / Hop);

    /// <summary>Computes one normalised frame from <paramref name="frame"/> (800 pre-emphasised samples) into 80 values.</summary>
    public void Compute(ReadOnlySpan<float> frame, Span<float> output)
    {
        if (frame.Length != FftSize || output.Length != Bands)
        {
            throw new ArgumentException($"a Wav2Lip frame is {FftSize} samples in, {Bands} values out");
        }

        for (var n = 0; n < FftSize; n++)
        {
            _windowed[n] = frame[n] * _window[n];
        }

        _fft.Forward(_windowed, _re, _im);
        for (var k = 0; k < _magnitude.Length; k++)
        {
            _magnitude[k] = MathF.Sqrt((_re[k] * _re[k]) + (_im[k] * _im[k]));
        }

        _mel.Apply(_magnitude, output);
        const float minLevel = 1e-5f; // exp(min_level_db / 20 * ln 10)
        for (var b = 0; b < Bands; b++)
        {
            var db = (20f * MathF.Log10(MathF.Max(minLevel, output[b]))) - RefLevelDb;
            var normalised = (2 * MaxAbsValue * ((db - MinLevelDb) / -MinLevelDb)) - MaxAbsValue;
            output[b] = Math.Clamp(normalised, -MaxAbsValue, MaxAbsValue);
        }
    }
}
