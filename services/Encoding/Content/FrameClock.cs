namespace Pipeline.Encoding.Content;

/// <summary>
/// The video frame clock shared by every per-frame artifact: frame i covers [i/fps, (i+1)/fps), and a clip of
/// d seconds has round(d * fps) frames. Rational fps keeps 24000/1001 exact.
/// </summary>
public readonly record struct FrameClock(int Numerator, int Denominator)
{
    public double Fps => (double)Numerator / Denominator;

    public double FrameSeconds => (double)Denominator / Numerator;

    public double StartOf(long frame) => frame * (double)Denominator / Numerator;

    public static FrameClock Create(int numerator, int denominator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numerator, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(denominator, 1);
        return new FrameClock(numerator, denominator);
    }

    /// <summary>round(duration * fps), half away from zero (what a reader of the sidecar would compute).</summary>
    public long FramesFor(double durationSeconds) =>
        (long)Math.Round(Math.Max(0, durationSeconds) * Numerator / Denominator, MidpointRounding.AwayFromZero);
}
