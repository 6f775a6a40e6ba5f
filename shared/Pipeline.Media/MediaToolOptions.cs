namespace Pipeline.Media;

/// <summary>Where the ffmpeg tools are and how long they may run; bound from the "Media" configuration section.</summary>
public sealed class MediaToolOptions
{
    public const string SectionName = "Media";

    public string FfmpegPath { get; set; } = "ffmpeg";

    public string FfprobePath { get; set; } = "ffprobe";

    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ProcessTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long a stopped ffmpeg gets to finish after 'q' (or end of its input) before its process tree is killed.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// RAM one reversing ffmpeg may hold for decoded frames (Bounce). ffmpeg's reverse filter keeps every frame
    /// it is given, so the video is reversed in segments no bigger than this.
    /// </summary>
    public long ReverseMemoryBudgetBytes { get; set; } = 256L * 1024 * 1024;
}
