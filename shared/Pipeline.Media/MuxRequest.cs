using Pipeline.Contracts.Jobs;

namespace Pipeline.Media;

/// <param name="OriginalAudioSourcePath">When set and it has audio, that audio becomes a second, non-default AAC track.</param>
public sealed record MuxRequest(
    string VideoPath,
    string AudioPath,
    string OutputPath,
    LengthPolicy Policy,
    OutputSettings Output,
    string? OriginalAudioSourcePath = null);
