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

public sealed record OutputMuxed(
    Guid JobId,
    ArtifactRef Output,
    double DurationSeconds,
    bool VideoStreamCopied,
    StageReport Report);
