using Pipeline.Contracts.Jobs;

namespace Pipeline.Encoding.Emotion;

/// <summary>
/// Layout of one emotion.npy row (a file format: append only): the 8 class probabilities in
/// <see cref="EmotionLabel"/> order, then intensity 0..1, arousal -1..1, valence -1..1.
/// </summary>
public static class EmotionVector
{
    public const int Classes = 8;
    public const int Intensity = 8;
    public const int Arousal = 9;
    public const int Valence = 10;
    public const int Length = 11;

    private static readonly string[] ColumnList =
        [.. Enum.GetNames<EmotionLabel>().Select(n => n.ToLowerInvariant()), "intensity", "arousal", "valence"];

    public static IReadOnlyList<string> Columns => ColumnList;

    /// <summary>
    /// Where each class sits on Russell's circumplex at full intensity (arousal, valence): a fixed, documented table,
    /// so that a requested label also moves the two continuous axes consistently.
    /// </summary>
    public static (float Arousal, float Valence) Circumplex(EmotionLabel label) => label switch
    {
        EmotionLabel.Neutral => (0f, 0f),
        EmotionLabel.Happy => (0.5f, 0.8f),
        EmotionLabel.Sad => (-0.5f, -0.7f),
        EmotionLabel.Surprised => (0.8f, 0.2f),
        EmotionLabel.Fearful => (0.7f, -0.6f),
        EmotionLabel.Disgusted => (0.3f, -0.7f),
        EmotionLabel.Angry => (0.8f, -0.6f),
        EmotionLabel.Contempt => (0.2f, -0.5f),
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, null),
    };

    /// <summary>The row of a single requested key: one-hot class, intensity clamped to 0..1, axes = circumplex × intensity.</summary>
    public static void FromKey(EmotionLabel label, double intensity, Span<float> row)
    {
        row.Clear();
        var i = (float)Math.Clamp(intensity, 0, 1);
        var (a, v) = Circumplex(label);
        row[(int)label] = 1f;
        row[Intensity] = i;
        row[Arousal] = a * i;
        row[Valence] = v * i;
    }
}
