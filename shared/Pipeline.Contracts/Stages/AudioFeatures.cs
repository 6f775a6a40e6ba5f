using Pipeline.Contracts.Artifacts;

namespace Pipeline.Contracts.Stages;

/// <summary>Which audio a feature set describes: the new speech, or the target video's own (dub mode fitting).</summary>
public enum AudioRole
{
    NewSpeech,
    TargetOriginal,
}

/// <summary>
/// Compute mel, MFCC, energy, F0/voicing and VAD on the target video's frame clock; with
/// <paramref name="MaxSeconds"/>, of only that much from the start (the target's own speech is read to fit a model,
/// which needs minutes of it, not a whole feature film).
/// </summary>
public sealed record ExtractAudioFeatures(
    Guid JobId,
    AudioRole Role,
    ArtifactRef Audio,
    int FrameRateNumerator,
    int FrameRateDenominator,
    double? MaxSeconds = null);

public sealed record AudioFeaturesExtracted(Guid JobId, AudioRole Role, ArtifactRef Features, long Frames, StageReport Report);
