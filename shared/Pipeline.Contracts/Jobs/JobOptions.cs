namespace Pipeline.Contracts.Jobs;

/// <summary>Options every job understands (DESIGN.md §1). Defaults are what a user gets without asking.</summary>
public sealed record JobOptions(
    FaceSelection Face,
    LengthPolicy LengthPolicy,
    EmotionSpec Emotion,
    BackendSpec Backend,
    OutputSettings Output,
    HeadMotion HeadMotion)
{
    public static JobOptions Default { get; } = new(
        FaceSelection.Largest,
        LengthPolicy.Cut,
        EmotionSpec.Neutral,
        BackendSpec.Auto,
        OutputSettings.Default,
        HeadMotion.Default);
}
