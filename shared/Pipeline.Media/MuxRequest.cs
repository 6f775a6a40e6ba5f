using Pipeline.Contracts.Jobs;

namespace Pipeline.Media;

/// <param name="OriginalAudioSourcePath">When set and it has audio, that audio becomes a second, non-default AAC track.</param>
/// <param name="MetadataSourcePath">
/// Where subtitles, metadata and chapters come from when that is not <paramref name="VideoPath"/>: the source video,
/// when the picture is rendered chunks (which carry none of them). Null means <paramref name="VideoPath"/>.
/// </param>
public sealed record MuxRequest(
    string VideoPath,
    string AudioPath,
    string OutputPath,
    LengthPolicy Policy,
    OutputSettings Output,
    string? OriginalAudioSourcePath = null,
    string? MetadataSourcePath = null);
