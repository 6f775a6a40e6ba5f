using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Contracts.Stages;

/// <summary>
/// Produce the deliverable: the video (the original, or rendered chunks in order) with the new audio under
/// the length policy. <paramref name="OriginalVideo"/> supplies the original audio track when kept.
/// </summary>
public sealed record MuxOutput(
    Guid JobId,
    ArtifactRef Video,
    IReadOnlyList<ArtifactRef> RenderedChunks,
    ArtifactRef Audio,
    LengthPolicy LengthPolicy,
    OutputSettings Output,
    string OutputName);

/// <param name="Thumbnail">One representative frame of the output (JPEG); null from workers that predate it.</param>
/// <param name="Preview">Evenly spaced frames of the output side by side (JPEG); null from workers that predate it.</param>
public sealed record OutputMuxed(
    Guid JobId,
    ArtifactRef Output,
    double DurationSeconds,
    bool VideoStreamCopied,
    StageReport Report,
    ArtifactRef? Thumbnail = null,
    ArtifactRef? Preview = null);
