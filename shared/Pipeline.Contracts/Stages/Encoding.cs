using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Contracts.Stages;

/// <summary>
/// Turn speech into per-frame content (viseme posteriors, from the audio itself) and emotion vectors (from the
/// request, or from prosody in the features). <paramref name="Features"/> is the features.json of the audio-features
/// stage; <paramref name="Frames"/> is its frame count, so every per-frame artifact of a job has the same length.
/// </summary>
public sealed record EncodeContentAndEmotion(
    Guid JobId,
    AudioRole Role,
    ArtifactRef Audio,
    ArtifactRef Features,
    int FrameRateNumerator,
    int FrameRateDenominator,
    long Frames,
    EmotionSpec Emotion);

/// <summary><paramref name="Content"/> is visemes.npy and <paramref name="Emotion"/> emotion.npy; each has a JSON sidecar beside it.</summary>
public sealed record ContentAndEmotionEncoded(
    Guid JobId,
    AudioRole Role,
    ArtifactRef Content,
    ArtifactRef Emotion,
    StageReport Report);
