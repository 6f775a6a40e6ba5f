using System.Globalization;
using Pipeline.TestSupport;

namespace Pipeline.EndToEnd.Tests;

/// <summary>Independent checks of output files, through ffprobe/ffmpeg rather than the code under test.</summary>
public static class Media
{
    public sealed record VideoStream(string Codec, int Width, int Height, string FrameRate);

    public static VideoStream Video(string path)
    {
        var fields = Ffmpeg.Probe("-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,r_frame_rate", "-of", "csv=p=0", path)
            .Trim().Split(',');
        return new VideoStream(fields[0], int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture), fields[3]);
    }

    /// <summary>The first video stream's pixel format, transfer and primaries, as ffprobe names them.</summary>
    public static (string PixelFormat, string Transfer, string Primaries) PictureFormat(string path)
    {
        var fields = Ffmpeg.Probe("-select_streams", "v:0", "-show_entries", "stream=pix_fmt,color_transfer,color_primaries", "-of", "default=nw=1", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return (fields["pix_fmt"], fields.GetValueOrDefault("color_transfer", "unknown"), fields.GetValueOrDefault("color_primaries", "unknown"));
    }

    public static IReadOnlyList<string> AudioCodecs(string path) =>
        Ffmpeg.Probe("-select_streams", "a", "-show_entries", "stream=codec_name", "-of", "csv=p=0", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static double FrameDuration(string path)
    {
        var rate = Video(path).FrameRate.Split('/');
        return double.Parse(rate[1], CultureInfo.InvariantCulture) / double.Parse(rate[0], CultureInfo.InvariantCulture);
    }

    /// <summary>MD5 of every video packet, in order: equal lists mean the stream was copied bit for bit.</summary>
    public static IReadOnlyList<string> VideoPacketHashes(string path) =>
        Ffmpeg.Run("-i", path, "-map", "0:v:0", "-c", "copy", "-f", "framemd5", "-")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(',').Last().Trim())
            .ToList();
}
