namespace Pipeline.Features;

/// <summary>Feature names (the keys of <see cref="FeatureSummary.Files"/> and of features.json's "files") and their files.</summary>
public static class FeatureFileNames
{
    public const string Mel80 = "mel80";
    public const string Wav2LipMel = "wav2lip_mel";
    public const string Mfcc = "mfcc";
    public const string Energy = "energy";
    public const string F0 = "f0";
    public const string Voicing = "voicing";
    public const string Vad = "vad";
    public const string Sidecar = "sidecar";

    public static IReadOnlyList<string> Arrays { get; } = [Mel80, Wav2LipMel, Mfcc, Energy, F0, Voicing, Vad];

    public static string FileOf(string name) => name == Sidecar ? FeatureSidecarJson.FileName : name + ".npy";
}
