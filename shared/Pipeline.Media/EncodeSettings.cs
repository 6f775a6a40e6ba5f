using Pipeline.Contracts.Jobs;

namespace Pipeline.Media;

/// <summary>How video is encoded when it has to be (the pipeline copies when it can).</summary>
public sealed record EncodeSettings(string Codec = "libx264", int Crf = 18, string Preset = "veryfast", string PixelFormat = "yuv420p")
{
    public static EncodeSettings Default { get; } = new();

    public static EncodeSettings From(OutputSettings o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new EncodeSettings(o.VideoCodec, o.Crf, o.Preset);
    }

    /// <summary>
    /// These settings for frames of <paramref name="bits"/> per sample: 4:2:0 at 10 bits stays 10-bit (High 10 for
    /// x264) where the codec can store it, so a 10-bit source (an HDR master) is not cut to 8 bits on the way out.
    /// </summary>
    public EncodeSettings ForSampleBits(int bits) =>
        bits == 10 && PixelFormat == "yuv420p" && Codec is "libx264" or "libx265" or "libvpx-vp9" or "libaom-av1" or "libsvtav1"
            ? this with { PixelFormat = "yuv420p10le" }
            : this;

    /// <summary>Encoder arguments for the first video output stream.</summary>
    internal IEnumerable<string> VideoArgs()
    {
        yield return "-c:v";
        yield return Codec;
        if (Codec is "libx264" or "libx265")
        {
            yield return "-crf";
            yield return FfmpegNumber.Int(Crf);
            yield return "-preset";
            yield return Preset;
        }
        else if (Codec is "libvpx-vp9" or "libaom-av1" or "libsvtav1")
        {
            yield return "-crf";
            yield return FfmpegNumber.Int(Crf);
            yield return "-b:v";
            yield return "0";
        }

        yield return "-pix_fmt";
        yield return PixelFormat;
    }

    /// <summary>4:2:0 and 4:2:2 need even sizes; libx264 refuses odd ones outright.</summary>
    internal bool NeedsEvenSize => PixelFormat.StartsWith("yuv420", StringComparison.Ordinal)
        || PixelFormat.StartsWith("yuvj420", StringComparison.Ordinal)
        || PixelFormat.StartsWith("yuv422", StringComparison.Ordinal)
        || PixelFormat.StartsWith("nv12", StringComparison.Ordinal);

    /// <summary>A filter that trims an odd width/height by one pixel, or null when not needed.</summary>
    internal string? EvenSizeFilter(int width, int height) =>
        NeedsEvenSize && (width % 2 != 0 || height % 2 != 0) ? "crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0" : null;
}
