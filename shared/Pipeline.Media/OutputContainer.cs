namespace Pipeline.Media;

/// <summary>The muxer an output path's extension asks for.</summary>
internal sealed record OutputContainer(string Format, bool FastStart, bool TextSubtitlesOnly, string TextSubtitleCodec)
{
    public static OutputContainer? FromPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mp4" or ".m4v" => new OutputContainer("mp4", true, true, "mov_text"),
        ".mov" => new OutputContainer("mov", true, true, "mov_text"),
        ".mkv" => new OutputContainer("matroska", false, false, "srt"),
        _ => null,
    };

    public static OutputContainer Require(string path) =>
        FromPath(path) ?? throw MediaErrors.Unsupported(path, "the output must end in .mp4, .mov or .mkv");

    /// <summary>-f and, for mp4/mov, +faststart so players can start before the whole file has arrived.</summary>
    public IEnumerable<string> Args() => FastStart ? ["-f", Format, "-movflags", "+faststart"] : ["-f", Format];
}
