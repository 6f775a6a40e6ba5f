using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Contracts.Stages;

/// <summary>
/// Predict per-frame landmarks from speech content and emotion, on the target video's frame clock. In dub mode
/// the target's own speech (<paramref name="TargetFeatures"/>, <paramref name="TargetContent"/>) and its face
/// <paramref name="Tracks"/> (in chunk order) fit the person-specific model; a target without a sound track has
/// null target speech, and the generic model is used. <paramref name="NewFeatures"/> and
/// <paramref name="TargetFeatures"/> are features.json manifests; the content and emotion refs are visemes.npy and
/// emotion.npy.
/// </summary>
public sealed record PredictMotion(
    Guid JobId,
    JobMode Mode,
    int FrameRateNumerator,
    int FrameRateDenominator,
    ArtifactRef NewFeatures,
    ArtifactRef NewContent,
    ArtifactRef NewEmotion,
    ArtifactRef? TargetFeatures,
    ArtifactRef? TargetContent,
    IReadOnlyList<ArtifactRef> Tracks,
    HeadMotion HeadMotion);

/// <summary><paramref name="Motion"/> is landmarks.npy, with present.npy, mouth.npy and motion.json beside it; <paramref name="Model"/> is "personal" or "generic".</summary>
public sealed record MotionPredicted(Guid JobId, ArtifactRef Motion, long Frames, string Model, StageReport Report);
