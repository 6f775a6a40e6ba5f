namespace Pipeline.Media;

/// <summary>The "-i" part of an ffmpeg command for a probed file.</summary>
internal static class InputArgs
{
    /// <summary>
    /// Forces the demuxer ffprobe chose for pictures: left to guess, ffmpeg treats "%" in a .png/.jpg
    /// name as a sequence pattern. Paths are absolute, so a name starting with '-' or containing
    /// "proto:" is never read as an option or a protocol.
    /// </summary>
    public static IEnumerable<string> For(MediaInfo info)
    {
        if (info.FormatName == "image2")
        {
            return ["-f", "image2", "-pattern_type", "none", "-i", info.Path];
        }

        if (info.FormatName.EndsWith("_pipe", StringComparison.Ordinal))
        {
            return ["-f", info.FormatName, "-i", info.Path];
        }

        return ["-i", Path.GetFullPath(info.Path)];
    }
}
