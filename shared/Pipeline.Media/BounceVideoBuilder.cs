namespace Pipeline.Media;

/// <summary>
/// Prepares the picture for the Bounce policy (forward, backward, forward, ...) with bounded memory.
/// ffmpeg's reverse filter holds every frame it is given, so the video is first put on a constant frame
/// clock in a lossless intermediate, then reversed in segments small enough for the memory budget, and
/// the pieces are listed for the concat demuxer: forward, the reversed segments last to first, forward, ...
/// The turning frames are not repeated (0..n-1, n-2..1, 0..n-1, ...).
/// </summary>
internal sealed class BounceVideoBuilder(MediaProber prober, FfmpegRunner runner, long memoryBudgetBytes, List<string> commands)
{
    // Lossless so the final encode is the only generation loss; ultrafast because these files are temporary.
    private static readonly string[] Intermediate = ["-c:v", "libx264", "-qp", "0", "-preset", "ultrafast"];

    /// <summary>Writes the pieces into <paramref name="workDirectory"/> and returns the concat list covering <paramref name="targetSeconds"/>.</summary>
    public async Task<string> BuildAsync(MediaInfo source, string workDirectory, double targetSeconds, string pixelFormat, IProgress<double> progress, CancellationToken ct)
    {
        var video = source.Video!;
        var rate = video.ClockRate;
        var segmentFrames = SegmentFrames(video.DisplayWidth, video.DisplayHeight, memoryBudgetBytes);

        var forward = Path.Combine(workDirectory, "forward.mkv");
        var gop = FfmpegNumber.Int(segmentFrames);
        string[] forwardArgs =
        [
            "-y", .. InputArgs.For(source), "-map", $"0:{FfmpegNumber.Int(video.Index)}", "-an", "-sn", "-dn",
            "-vf", "crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0", "-fps_mode", "cfr", "-r", rate.ToString(),
            .. Intermediate, "-pix_fmt", pixelFormat,

            // A keyframe at every segment start keeps each segment's seek short.
            "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
            "-f", "matroska", forward,
        ];
        var forwardRun = new FfmpegRunOptions(TotalSeconds: source.VideoDurationSeconds, Progress: new ProgressRange(progress, 0, 0.4), FilePath: source.Path);
        commands.Add((await runner.RunAsync(forwardArgs, forwardRun, ct).ConfigureAwait(false)).CommandLine);

        var frames = await prober.CountVideoFramesAsync(forward, ct).ConfigureAwait(false);
        var frameSeconds = 1 / rate.Value;

        // Backward leg: frames n-2 down to 1, as segments [a, b) reversed one at a time.
        var backward = new List<(string Path, long Frames)>();
        for (long a = 1, i = 0; a < frames - 1; a += segmentFrames, i++)
        {
            ct.ThrowIfCancellationRequestedAsMedia(source.Path);
            var b = Math.Min(a + segmentFrames, frames - 1);
            var piece = Path.Combine(workDirectory, $"reverse-{i:D6}.mkv");

            // Seek and length fall half a frame before frame boundaries, so each frame lands in exactly one segment;
            // -t before -i stops reading there, which is what bounds the reverse filter's memory.
            string[] reverseArgs =
            [
                "-y", "-ss", FfmpegNumber.Seconds((a - 0.5) * frameSeconds), "-t", FfmpegNumber.Seconds((b - a) * frameSeconds), "-i", forward,
                "-map", "0:v:0", "-vf", $"reverse,setpts=N*{FfmpegNumber.Int(rate.Denominator)}/{FfmpegNumber.Int(rate.Numerator)}/TB",
                .. Intermediate, "-pix_fmt", pixelFormat, "-f", "matroska", piece,
            ];
            commands.Add((await runner.RunAsync(reverseArgs, new FfmpegRunOptions(FilePath: source.Path), ct).ConfigureAwait(false)).CommandLine);
            backward.Add((piece, b - a));
            progress.Report(0.4 + (0.6 * b / Math.Max(1, frames - 1)));
        }

        backward.Reverse();
        var entries = new List<(string Path, double? Duration)>();
        var needed = (long)Math.Ceiling(targetSeconds / frameSeconds) + 1;
        for (long covered = 0; covered < needed;)
        {
            entries.Add((forward, frames * frameSeconds));
            covered += frames;
            foreach (var (path, count) in backward)
            {
                entries.Add((path, count * frameSeconds));
                covered += count;
            }
        }

        var list = Path.Combine(workDirectory, "bounce.ffconcat");
        await ConcatList.WriteAsync(list, entries, ct).ConfigureAwait(false);
        progress.Report(1);
        return list;
    }

    /// <summary>How many decoded frames (4:2:0, 1.5 bytes a pixel) fit in the budget; at least 2.</summary>
    internal static int SegmentFrames(int width, int height, long budgetBytes)
    {
        var frameBytes = Math.Max(1L, (long)width * height * 3 / 2);
        return (int)Math.Clamp(budgetBytes / frameBytes, 2, 1000);
    }
}
