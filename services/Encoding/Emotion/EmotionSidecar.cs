using Pipeline.Features;

namespace Pipeline.Encoding.Emotion;

/// <summary>emotion.json: layout and origin of emotion.npy (snake_case, like features.json).</summary>
public sealed record EmotionSidecar(
    string Format,
    int SchemaVersion,
    string Source,
    FeatureClock Clock,
    IReadOnlyList<string> Columns,
    FeatureFile File,
    IReadOnlyList<EmotionSidecarKey> Timeline,
    IReadOnlyList<string> Notes);

public sealed record EmotionSidecarKey(double AtSeconds, string Label, double Intensity);
