namespace Pipeline.Media;

/// <summary>
/// ffmpeg arguments for the stills a deliverable gets: a thumbnail and a preview strip, both JPEG, both at sizes
/// fixed here from the probe so callers (and the dashboard) know them without decoding.
/// </summary>
internal static class StillImagePlan
{
    /// <summary>Thumbnails are at most this high; larger sources are scaled down (aspect kept).</summary>
    public const int ThumbnailMaxHeight = 720;

    /// <summary>Height of each preview tile (smaller sources keep their own height).</summary>
    public const int PreviewTileHeight = 120;

    public const int DefaultPreviewTiles = 10;

    /// <summary>The thumbnail filter buffers its window, so it is bounded in frames as well as in seconds.</summary>
    private const double ThumbnailWindowSeconds = 2;
    private const int ThumbnailWindowMaxFrames = 50;

    /// <summary>Width and height scaled to at most <paramref name="maxHeight"/> high, both even (mjpeg takes 4:2:0).</summary>
    public static (int Width, int Height) Fit(int width, int height, int maxHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeight, 2);
        var h = Math.Min(height, maxHeight);
        var w = (int)Math.Round((double)width * h / height);
        return (Math.Max(2, w / 2 * 2), Math.Max(2, h / 2 * 2));
    }

    /// <summary>
    /// The thumbnail window: it starts a third of the way in (past intros, fade-ins and a black leader; in a talking
    /// head the speaker is on screen by then) and spans up to 2 s, or what is left of the video.
    /// </summary>
    public static (double Start, int Frames) ThumbnailWindow(double duration, double frameSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSeconds);
        var start = Math.Max(0, duration / 3);
        var frames = (int)Math.Floor(Math.Min(ThumbnailWindowSeconds, duration - start) / frameSeconds);
        return (start, Math.Clamp(frames, 1, ThumbnailWindowMaxFrames));
    }

    /// <summary>
    /// One sample time per tile: the middle of each of <paramref name="tiles"/> equal parts of the video (never its
    /// very first or last frame, which are often black), kept 1.5 frames from the end so a seek always finds a frame.
    /// </summary>
    public static IReadOnlyList<double> PreviewTimes(double duration, double frameSeconds, int tiles)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(tiles, 1);
        var last = Math.Max(0, duration - (1.5 * frameSeconds));
        return Enumerable.Range(0, tiles).Select(i => Math.Min(last, (i + 0.5) * duration / tiles)).ToList();
    }

    /// <summary>
    /// ffmpeg's thumbnail filter keeps the frame whose colour histogram is nearest the window's average: not a blink
    /// caught half-way, a flash or a frame across a cut. Frames are scaled first so the window buffers small frames.
    /// </summary>
    public static List<string> Thumbnail(MediaInfo info, VideoStreamInfo video, double start, int frames, (int Width, int Height) size, string output) =>
    [
        "-y", "-ss", FfmpegNumber.Seconds(start), .. InputArgs.For(info),
        "-map", $"0:{FfmpegNumber.Int(video.Index)}", "-an", "-sn", "-dn",
        "-vf", $"scale={FfmpegNumber.Int(size.Width)}:{FfmpegNumber.Int(size.Height)}:flags=lanczos,setsar=1,thumbnail=n={FfmpegNumber.Int(frames)}",
        "-frames:v", "1", "-q:v", "2", "-f", "image2", "-update", "1", output,
    ];

    /// <summary>
    /// One input per tile, each seeked to its time, so the cost is a few keyframe intervals of decoding whatever the
    /// video's length (an fps/select filter would decode every frame of a feature). Each input gives its first frame,
    /// scaled to the tile size; the tiles are stacked left to right.
    /// </summary>
    public static List<string> Preview(MediaInfo info, VideoStreamInfo video, IReadOnlyList<double> times, (int Width, int Height) tile, string output)
    {
        var args = new List<string> { "-y" };
        foreach (var time in times)
        {
            args.AddRange(["-ss", FfmpegNumber.Seconds(time), .. InputArgs.For(info)]);
        }

        var scale = $"scale={FfmpegNumber.Int(tile.Width)}:{FfmpegNumber.Int(tile.Height)}:flags=lanczos,setsar=1";
        var chains = times.Select((_, i) => $"[{FfmpegNumber.Int(i)}:{FfmpegNumber.Int(video.Index)}]trim=end_frame=1,setpts=PTS-STARTPTS,{scale}[t{FfmpegNumber.Int(i)}]");
        var stack = times.Count == 1
            ? "[t0]null[strip]"
            : string.Concat(times.Select((_, i) => $"[t{FfmpegNumber.Int(i)}]")) + $"hstack=inputs={FfmpegNumber.Int(times.Count)}[strip]";
        args.AddRange(["-filter_complex", string.Join(';', chains.Append(stack)), "-map", "[strip]"]);
        args.AddRange(["-frames:v", "1", "-q:v", "3", "-f", "image2", "-update", "1", output]);
        return args;
    }
}
