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
/// <param name="Yuv420">
/// Deliver the decoder's own planar yuv420p (Y, then U, then V; no colour conversion at all) instead of rgb24. Only for
/// sources that are yuv420p already (<see cref="CanDeliverYuv420"/>), so the frames are the decoded pixels as they are:
/// at 8 bits a byte per sample, at 10 (yuv420p10le) two, little-endian (<see cref="Yuv420Bits"/>).
/// </param>
public sealed record VideoDecodeOptions(
    int? Width = null, int? Height = null, double? StartSeconds = null, double? DurationSeconds = null, bool ExactColour = false, IReadOnlyList<long>? OnlyFrames = null,
    bool Yuv420 = false)
{
    /// <summary>
    /// True when frames of this stream come out as yuv420p untouched: it is limited-range yuv420p (8 or 10 bits) with an
    /// even size. Other sources (4:4:4, full range, odd sizes) need a conversion anyway and are read as rgb24.
    /// </summary>
    public static bool CanDeliverYuv420(VideoStreamInfo video)
    {
        ArgumentNullException.ThrowIfNull(video);
        return video.PixelFormat is "yuv420p" or Yuv420p10 && video.Colour.Range is null or "tv" && video.DisplayWidth % 2 == 0 && video.DisplayHeight % 2 == 0;
    }

    /// <summary>Bits per sample of the planar frames <see cref="Yuv420"/> delivers for this stream: 10 for yuv420p10le, else 8.</summary>
    public static int Yuv420Bits(VideoStreamInfo video)
    {
        ArgumentNullException.ThrowIfNull(video);
        return video.PixelFormat == Yuv420p10 ? 10 : 8;
    }

    /// <summary>ffmpeg's name of planar 4:2:0 at <paramref name="bits"/> (8 or 10) per sample.</summary>
    public static string Yuv420PixelFormat(int bits) => bits switch
    {
        8 => "yuv420p",
        10 => Yuv420p10,
        _ => throw new ArgumentOutOfRangeException(nameof(bits), bits, "planar 4:2:0 frames are 8 or 10 bits"),
    };

    private const string Yuv420p10 = "yuv420p10le";

    /// <summary>Frames <paramref name="start"/> .. start + count − 1 of a video on the clock <paramref name="rate"/>.</summary>
    public static VideoDecodeOptions ForFrames(Rational rate, long start, long count, bool exactColour = false) =>
        new(StartSeconds: start * (double)rate.Denominator / rate.Numerator, DurationSeconds: count * (double)rate.Denominator / rate.Numerator, ExactColour: exactColour);
}
