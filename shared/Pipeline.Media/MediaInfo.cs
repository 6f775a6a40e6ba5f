using Pipeline.Contracts.Artifacts;

namespace Pipeline.Media;

/// <summary>What ffprobe found in one file.</summary>
public sealed record MediaInfo(
    string Path,
    string FormatName,
    double DurationSeconds,
    long SizeBytes,
    long? BitRate,
    IReadOnlyList<VideoStreamInfo> VideoStreams,
    IReadOnlyList<AudioStreamInfo> AudioStreams,
    int SubtitleStreamCount)
{
    public IReadOnlyList<SubtitleStreamInfo> SubtitleStreams { get; init; } = [];

    /// <summary>The container's start time; ffmpeg shifts each input by it, so output times count from here.</summary>
    public double StartSeconds { get; init; }

    /// <summary>The first real video stream (cover art does not count); a still image counts, with one frame.</summary>
    public VideoStreamInfo? Video => VideoStreams.FirstOrDefault(v => !v.IsAttachedPicture);

    public AudioStreamInfo? Audio => AudioStreams.FirstOrDefault();

    public bool IsStillImage =>
        Video is { } video
        && (FormatName is "image2" || FormatName.EndsWith("_pipe", StringComparison.Ordinal) || video.FrameCount == 1);

    /// <summary>Length of the picture: the video stream's own duration when known (audio may run longer).</summary>
    public double VideoDurationSeconds => IsStillImage ? 0 : Video?.DurationSeconds ?? DurationSeconds;

    public double AudioDurationSeconds => Audio?.DurationSeconds ?? DurationSeconds;

    /// <summary>
    /// The contract view. Frame rate and count describe the constant clock the decoders deliver
    /// (<see cref="VideoStreamInfo.ClockRate"/>), so a variable-frame-rate file reports the frames a reader will yield.
    /// </summary>
    public MediaSummary ToSummary()
    {
        var video = Video;
        var audio = Audio;
        var rate = video?.ClockRate ?? default;
        return new MediaSummary(
            Container: FormatName,
            DurationSeconds: DurationSeconds,
            HasVideo: video is not null,
            HasAudio: audio is not null,
            Width: video?.DisplayWidth ?? 0,
            Height: video?.DisplayHeight ?? 0,
            VideoCodec: video?.Codec,
            FrameRateNumerator: video is null ? 0 : rate.Numerator,
            FrameRateDenominator: video is null ? 1 : rate.Denominator,
            FrameCount: video is null ? 0 : IsStillImage ? 1 : video.ClockFrameCount,
            AudioCodec: audio?.Codec,
            SampleRate: audio?.SampleRate ?? 0,
            Channels: audio?.Channels ?? 0);
    }
}
