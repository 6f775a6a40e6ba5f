using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Contracts.Stages;

/// <summary>Turn audio features into per-frame content (visemes) and emotion vectors.</summary>
public sealed record EncodeContentAndEmotion(Guid JobId, AudioRole Role, ArtifactRef Features, EmotionSpec Emotion);

public sealed record ContentAndEmotionEncoded(
    Guid JobId,
    AudioRole Role,
    ArtifactRef Content,
    ArtifactRef Emotion,
    StageReport Report);
