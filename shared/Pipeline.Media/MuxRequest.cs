using Pipeline.Contracts.Jobs;

namespace Pipeline.Media;

/// <param name="OriginalAudioSourcePath">When set and it has audio, that audio becomes a second, non-default AAC track.</param>
/// <param name="MetadataSourcePath">
/// Where subtitles, metadata and chapters come from when that is not <paramref name="VideoPath"/>: the source video,
/// when the picture is rendered chunks (which carry none of them). Null means <paramref name="VideoPath"/>.
/// </param>
/// <param name="PictureCoversAudio">
/// A copied picture that must be cut or looped ends at or just after the audio's end rather than at or just before it
/// (a copy cut keeps whole packets, so it can miss by a few frames either way): for a picture later stages work on
/// frame by frame and that only needs to reach the audio's end, such as the one prepare-video extends.
/// </param>
public sealed record MuxRequest(
    string VideoPath,
    string AudioPath,
    string OutputPath,
    LengthPolicy Policy,
    OutputSettings Output,
    string? OriginalAudioSourcePath = null,
    string? MetadataSourcePath = null,
    bool PictureCoversAudio = false);
