namespace Pipeline.Contracts.Jobs;

/// <summary>How the final video is encoded when it has to be encoded at all (a copy is preferred).</summary>
public sealed record OutputSettings(
    string VideoCodec = "libx264",
    int Crf = 18,
    string Preset = "veryfast",
    string AudioCodec = "aac",
    int AudioBitrateKbps = 192,
    bool KeepOriginalAudio = false)
{
    public static OutputSettings Default { get; } = new();
}
