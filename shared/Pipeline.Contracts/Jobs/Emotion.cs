namespace Pipeline.Contracts.Jobs;

/// <summary>The eight emotion classes of MEAD/EVP.</summary>
public enum EmotionLabel
{
    Neutral,
    Happy,
    Sad,
    Surprised,
    Fearful,
    Disgusted,
    Angry,
    Contempt,
}

public enum EmotionSource
{
    /// <summary>Use <see cref="EmotionSpec.Timeline"/> (one key = constant emotion).</summary>
    Requested,

    /// <summary>Estimate the emotion from the speech's prosody.</summary>
    FromAudio,
}

/// <summary>
/// One key of an emotion timeline: the expression is exactly this emotion at <paramref name="AtSeconds"/>, reached by
/// a smooth blend from the previous key that ends there, and held until the next key's blend begins.
/// </summary>
public sealed record EmotionKey(double AtSeconds, EmotionLabel Label, double Intensity);

/// <summary>The requested expression: constant (one key), a timeline, or estimated from the audio.</summary>
public sealed record EmotionSpec(EmotionSource Source, IReadOnlyList<EmotionKey> Timeline)
{
    public static EmotionSpec Neutral { get; } = Constant(EmotionLabel.Neutral, 0);

    public static EmotionSpec Constant(EmotionLabel label, double intensity) =>
        new(EmotionSource.Requested, [new EmotionKey(0, label, intensity)]);
}
