namespace Pipeline.Media;

/// <param name="Width">Output width; with <paramref name="Height"/> null or 0 the aspect ratio is kept.</param>
/// <param name="Height">Output height; with <paramref name="Width"/> null or 0 the aspect ratio is kept.</param>
/// <param name="StartSeconds">Decode from this timestamp (frame-accurate, not the nearest keyframe).</param>
/// <param name="DurationSeconds">Decode this long.</param>
/// <param name="ExactColour">
/// Convert to rgb24 with full chroma interpolation and accurate rounding, for frames that are encoded again and must
/// match the source within codec noise: with swscale's fast defaults a decode, rgb24 and re-encode round trip lost
/// about 1 dB of luma PSNR (HDTF clip at CRF 18: 40.3 dB, exact 41.2 dB, a direct re-encode 41.3 dB). It costs about a
/// third more conversion time, so analysis-only decodes (tracking) leave it off.
/// </param>
/// <param name="OnlyFrames">
/// Ascending frame numbers of a constant-frame-rate video: only these frames come out, in order. ffmpeg still decodes
/// the rest but neither converts nor pipes them, which is most of a sparse read's cost.
/// </param>
public sealed record VideoDecodeOptions(
    int? Width = null, int? Height = null, double? StartSeconds = null, double? DurationSeconds = null, bool ExactColour = false, IReadOnlyList<long>? OnlyFrames = null)
{
    /// <summary>Frames <paramref name="start"/> .. start + count − 1 of a video on the clock <paramref name="rate"/>.</summary>
    public static VideoDecodeOptions ForFrames(Rational rate, long start, long count, bool exactColour = false) =>
        new(StartSeconds: start * (double)rate.Denominator / rate.Numerator, DurationSeconds: count * (double)rate.Denominator / rate.Numerator, ExactColour: exactColour);
}
