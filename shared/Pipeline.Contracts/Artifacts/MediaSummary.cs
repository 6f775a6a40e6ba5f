namespace Pipeline.Contracts.Artifacts;

/// <summary>The facts about an input that downstream stages plan with (taken from ffprobe at ingest).</summary>
public sealed record MediaSummary(
    string Container,
    double DurationSeconds,
    bool HasVideo,
    bool HasAudio,
    int Width = 0,
    int Height = 0,
    string? VideoCodec = null,
    int FrameRateNumerator = 0,
    int FrameRateDenominator = 1,
    long FrameCount = 0,
    string? AudioCodec = null,
    int SampleRate = 0,
    int Channels = 0)
{
    public double FramesPerSecond => FrameRateDenominator == 0 ? 0 : (double)FrameRateNumerator / FrameRateDenominator;
}
