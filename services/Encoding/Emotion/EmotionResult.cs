namespace Pipeline.Encoding.Emotion;

/// <summary>What <see cref="EmotionEncoder"/> wrote: role ("emotion", "sidecar") to file name in the output directory.</summary>
public sealed record EmotionResult(long Frames, IReadOnlyDictionary<string, string> Files);
