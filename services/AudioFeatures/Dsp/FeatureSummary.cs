namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// What one extraction produced. <paramref name="Files"/> maps a feature name (mel80, wav2lip_mel, mfcc, energy,
/// f0, voicing, vad, and sidecar) to its file name inside the output folder.
/// </summary>
public sealed record FeatureSummary(long Frames, double Fps, long VoicedFrames, long ActiveFrames, double DurationSeconds, IReadOnlyDictionary<string, string> Files);
