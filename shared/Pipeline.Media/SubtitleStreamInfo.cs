namespace Pipeline.Media;

/// <summary>A subtitle stream; the codec decides whether a container can carry it (mp4 takes text only).</summary>
public sealed record SubtitleStreamInfo(int Index, string Codec, string? Language)
{
    public bool IsText => Codec is "subrip" or "srt" or "ass" or "ssa" or "mov_text" or "webvtt" or "text";
}
