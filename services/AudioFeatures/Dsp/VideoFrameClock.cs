namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// Maps video frames onto the 10 ms analysis grid. Video frame i covers [i / fps, (i + 1) / fps) seconds and
/// its features are taken at its centre (i + 0.5) / fps; analysis frame k is centred at k / 100 s.
/// A signal of N samples has round-half-up(N * fps / sr) frames, i.e. a frame exists when its centre is
/// inside the audio.
/// </summary>
public readonly record struct VideoFrameClock
{
    public const int AnalysisRate = SpectralFrameAnalyzer.SampleRate / SpectralFrameAnalyzer.Hop;

    public VideoFrameClock(int numerator, int denominator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numerator, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(denominator, 1);
        if ((double)numerator / denominator > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), $"{numerator}/{denominator} fps is not a video frame rate");
        }

        Numerator = numerator;
        Denominator = denominator;
    }

    public int Numerator { get; }

    public int Denominator { get; }

    public double Fps => (double)Numerator / Denominator;

    /// <summary>round-half-up(samples * fps / sampleRate), in exact integer arithmetic.</summary>
    public long FrameCount(long samples, int sampleRate) =>
        ((2 * samples * Numerator) + ((long)sampleRate * Denominator)) / (2L * sampleRate * Denominator);

    public double StartSeconds(long frame) => (double)frame * Denominator / Numerator;

    public double CentreSeconds(long frame) => (frame + 0.5) * Denominator / Numerator;

    /// <summary>Position of the frame centre on the analysis grid (fractional analysis-frame index).</summary>
    public double CentreAnalysisPosition(long frame) => ((2 * frame) + 1) * (double)AnalysisRate * Denominator / (2.0 * Numerator);

    /// <summary>First analysis frame whose centre is at or after the start of video frame <paramref name="frame"/>.</summary>
    public long FirstAnalysisFrameIn(long frame)
    {
        var numerator = frame * AnalysisRate * Denominator;
        return (numerator + Numerator - 1) / Numerator;
    }
}
