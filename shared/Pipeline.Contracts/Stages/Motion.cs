using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Contracts.Stages;

/// <summary>
/// Predict per-frame landmarks from speech content and emotion. In dub mode the target's own features
/// and track fit the person-specific model; <paramref name="Tracks"/> are in chunk order.
/// </summary>
public sealed record PredictMotion(
    Guid JobId,
    JobMode Mode,
    ArtifactRef NewContent,
    ArtifactRef NewEmotion,
    ArtifactRef? TargetContent,
    IReadOnlyList<ArtifactRef> Tracks,
    HeadMotion HeadMotion);

public sealed record MotionPredicted(Guid JobId, ArtifactRef Motion, long Frames, StageReport Report);
