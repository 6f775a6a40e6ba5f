using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Media;

/// <summary>Whole-file ffmpeg operations: audio extraction, cutting, joining, the final mux and its stills.</summary>
public sealed class MediaEditor
{
    private readonly MediaProber _prober;
    private readonly FfmpegRunner _runner;
    private readonly ILogger _logger;

    public MediaEditor(MediaProber prober, FfmpegRunner runner, ILogger<MediaEditor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(prober);
        ArgumentNullException.ThrowIfNull(runner);
        _prober = prober;
        _runner = runner;
        _logger = logger ?? NullLogger<MediaEditor>.Instance;
    }

    /// <summary>Decodes the first audio stream of anything ffmpeg reads to a float WAV at the given rate and channel count.</summary>
    public async Task DecodeAudioToWavAsync(string input, string outputWav, int sampleRate, int channels, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        var info = await _prober.ProbeAsync(input, ct).ConfigureAwait(false);
        var audio = info.Audio ?? throw MediaErrors.NoAudioStream(info.Path);
        var output = OutputFile.Prepare(outputWav);
        RefuseOverwritingInput(output, info.Path);
        string[] args =
        [
            "-y", .. InputArgs.For(info),
            "-map", $"0:{FfmpegNumber.Int(audio.Index)}", "-vn", "-sn", "-dn",
            "-ac", FfmpegNumber.Int(channels), "-ar", FfmpegNumber.Int(sampleRate),
            "-c:a", "pcm_f32le", "-rf64", "auto", "-f", "wav", output,
        ];
        await _runner.RunAsync(args, new FfmpegRunOptions(TotalSeconds: info.AudioDurationSeconds, Progress: progress, FilePath: info.Path), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Re-encodes [start, start + duration) of the input. The seek is by timestamp and frame-accurate (ffmpeg
    /// decodes from the previous keyframe and drops frames before start), so consecutive cuts neither
    /// overlap nor miss frames. Audio, when present, is kept (AAC).
    /// </summary>
    public async Task CutAsync(string input, string output, double startSeconds, double durationSeconds, EncodeSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(startSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationSeconds);
        var info = await _prober.ProbeAsync(input, ct).ConfigureAwait(false);
        var video = info.Video ?? throw MediaErrors.NoVideoStream(info.Path);
        var target = OutputFile.Prepare(output);
        RefuseOverwritingInput(target, info.Path);

        List<string> args = ["-y", "-ss", FfmpegNumber.Seconds(startSeconds), .. InputArgs.For(info)];
        args.AddRange(["-t", FfmpegNumber.Seconds(durationSeconds), "-map", $"0:{FfmpegNumber.Int(video.Index)}"]);
        if (info.Audio is { } audio)
        {
            args.AddRange(["-map", $"0:{FfmpegNumber.Int(audio.Index)}", "-c:a", "aac", "-b:a", "192k"]);
        }

        if (settings.EvenSizeFilter(video.DisplayWidth, video.DisplayHeight) is { } crop)
        {
            args.AddRange(["-vf", crop]);
        }

        args.AddRange(settings.VideoArgs());
        args.AddRange(["-map_metadata", "0"]);
        if (OutputContainer.FromPath(target) is { } container)
        {
            args.AddRange(container.Args());
        }

        args.Add(target);
        await _runner.RunAsync(args, new FfmpegRunOptions(TotalSeconds: durationSeconds, FilePath: info.Path), ct).ConfigureAwait(false);
    }

    /// <summary>Joins files that share codec parameters (e.g. rendered chunks) by stream copy through the concat demuxer.</summary>
    public async Task ConcatAsync(IReadOnlyList<string> inputs, string output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("Give at least one file to join.", nameof(inputs));
        }

        // Each ffprobe run is mostly process start-up (0.2-0.5 s here), and a long title has dozens of chunks: probing
        // them one after another was most of a 10-minute dub's mux. Side by side, a few at a time, in input order.
        var infos = new MediaInfo[inputs.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, inputs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 2, 8), CancellationToken = ct },
            async (i, token) => infos[i] = await _prober.ProbeAsync(inputs[i], token).ConfigureAwait(false)).ConfigureAwait(false);

        RequireSameStreams(infos);
        var target = OutputFile.Prepare(output);
        foreach (var info in infos)
        {
            RefuseOverwritingInput(target, info.Path);
        }

        var list = Path.Combine(Path.GetTempPath(), $"pipeline-concat-{Guid.NewGuid():N}.ffconcat");
        try
        {
            await ConcatList.WriteAsync(list, infos.Select(i => (i.Path, (double?)null)), ct).ConfigureAwait(false);
            var args = new List<string> { "-y", "-f", "concat", "-safe", "0", "-i", list, "-map", "0", "-c", "copy" };
            if (OutputContainer.FromPath(target) is { } container)
            {
                args.AddRange(container.Args());
            }

            args.Add(target);
            await _runner.RunAsync(args, new FfmpegRunOptions(TotalSeconds: infos.Sum(i => i.DurationSeconds), FilePath: target), ct).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(list);
        }
    }

    /// <summary>
    /// Puts the new audio (AAC) on the video under the length policy, copying the video stream whenever the
    /// policy allows (Cut, Pad, and any policy when the video is at least as long as the audio; Loop also by
    /// copy). Hold and Bounce re-encode when the video is shorter. Writes <see cref="MuxRequest.OutputPath"/> directly.
    /// </summary>
    public async Task<MuxResult> MuxAsync(MuxRequest request, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var output = OutputFile.Prepare(request.OutputPath);
        var container = OutputContainer.Require(output);
        // The inputs are probed side by side (each probe is mostly ffprobe's start-up); errors are still reported in
        // input order.
        var videoProbe = _prober.ProbeAsync(request.VideoPath, ct);
        var audioProbe = _prober.ProbeAsync(request.AudioPath, ct);
        var originalProbe = request.OriginalAudioSourcePath is { } originalPath ? _prober.ProbeAsync(originalPath, ct) : null;
        var metadataProbe = request.MetadataSourcePath is { } metadataPath
            && !string.Equals(Path.GetFullPath(metadataPath), Path.GetFullPath(request.VideoPath), StringComparison.Ordinal)
            ? _prober.ProbeAsync(metadataPath, ct)
            : null;
        var videoInfo = await videoProbe.ConfigureAwait(false);
        var video = videoInfo.Video ?? throw MediaErrors.NoVideoStream(videoInfo.Path);
        if (videoInfo.IsStillImage)
        {
            throw MediaErrors.Unsupported(videoInfo.Path, "a still picture cannot be muxed as it is; render it to a video first");
        }

        var audioInfo = await audioProbe.ConfigureAwait(false);
        if (audioInfo.Audio is null)
        {
            throw MediaErrors.NoAudioStream(audioInfo.Path);
        }

        MediaInfo? original = null;
        if (originalProbe is not null)
        {
            original = await originalProbe.ConfigureAwait(false);
            if (original.Audio is null)
            {
                _logger.LogInformation("{Path} has no audio; the output gets no original-audio track", original.Path);
                original = null;
            }
        }

        var metadata = metadataProbe is null ? null : await metadataProbe.ConfigureAwait(false);

        foreach (var input in new[] { videoInfo, audioInfo, original, metadata })
        {
            if (input is not null)
            {
                RefuseOverwritingInput(output, input.Path);
            }
        }

        var frame = 1 / video.ClockRate.Value;
        var lastFrame = video.AverageFrameRate.IsValid ? 1 / video.AverageFrameRate.Value : frame;
        var packets = await _prober.ReadVideoPacketsAsync(videoInfo.Path, video.Index, lastFrame, videoInfo.StartSeconds, ct).ConfigureAwait(false);
        var videoLength = packets?.Length ?? videoInfo.VideoDurationSeconds;
        var audioLength = audioInfo.AudioDurationSeconds;
        var target = request.Policy switch
        {
            LengthPolicy.Cut => Math.Min(videoLength, audioLength),
            LengthPolicy.Pad => videoLength,
            _ => audioLength,
        };
        if (target <= 0)
        {
            throw MediaErrors.Unsupported(target == audioLength ? audioInfo.Path : videoInfo.Path, "it has no duration ffmpeg can measure");
        }

        var videoTooShort = target > videoLength + (frame / 2);
        var settings = EncodeSettings.From(request.Output).ForSampleBits(VideoDecodeOptions.Yuv420Bits(video)); // a 10-bit picture stays 10-bit
        var plan = new MuxPlan(videoInfo, audioInfo, original, container, request.Output, target, metadata);
        var commands = new List<string>();
        bool copied;
        if (!videoTooShort || request.Policy == LengthPolicy.Loop)
        {
            var loopPeriod = packets is null ? videoLength : packets.Span + lastFrame;
            var args = plan.CopyArgs(packets, loopPeriod, frame, output, request.PictureCoversAudio);
            commands.Add((await _runner.RunAsync(args, plan.RunOptions(progress), ct).ConfigureAwait(false)).CommandLine);
            copied = true;
        }
        else if (request.Policy == LengthPolicy.Hold)
        {
            var args = plan.HoldArgs(settings, videoLength, output);
            commands.Add((await _runner.RunAsync(args, plan.RunOptions(progress), ct).ConfigureAwait(false)).CommandLine);
            copied = false;
        }
        else
        {
            var work = Path.Combine(Path.GetTempPath(), $"pipeline-bounce-{Guid.NewGuid():N}");
            Directory.CreateDirectory(work);
            try
            {
                var builder = new BounceVideoBuilder(_prober, _runner, _runner.Options.ReverseMemoryBudgetBytes, commands);
                var list = await builder.BuildAsync(videoInfo, work, target, settings.PixelFormat, new ProgressRange(progress, 0, 0.5), ct).ConfigureAwait(false);
                var args = plan.BounceArgs(list, settings, output);
                commands.Add((await _runner.RunAsync(args, plan.RunOptions(new ProgressRange(progress, 0.5, 1)), ct).ConfigureAwait(false)).CommandLine);
            }
            finally
            {
                TryDeleteDirectory(work);
            }

            copied = false;
        }

        var result = await _prober.ProbeAsync(output, ct).ConfigureAwait(false);
        _logger.LogInformation(
            "Muxed {Output}: policy {Policy}, video {Video:0.###} s, audio {Audio:0.###} s, output {Duration:0.###} s, video {Mode}",
            output, request.Policy, videoLength, audioLength, result.DurationSeconds, copied ? "copied" : "re-encoded");
        return new MuxResult(result.DurationSeconds, copied, commands, result);
    }

    /// <summary>One representative frame of the video as a JPEG, at most 720 pixels high (see <see cref="StillImagePlan.Thumbnail"/>).</summary>
    public async Task<StillImage> ThumbnailAsync(string input, string outputJpeg, CancellationToken ct = default)
    {
        var (info, video, target) = await PrepareStillAsync(input, outputJpeg, ct).ConfigureAwait(false);
        var (start, frames) = StillImagePlan.ThumbnailWindow(info.VideoDurationSeconds, 1 / video.ClockRate.Value);
        var size = StillImagePlan.Fit(video.DisplayWidth, video.DisplayHeight, StillImagePlan.ThumbnailMaxHeight);
        await RunStillAsync(StillImagePlan.Thumbnail(info, video, start, frames, size, target), info, target, ct).ConfigureAwait(false);
        return new StillImage(target, size.Width, size.Height, 1, [start]);
    }

    /// <summary>
    /// <paramref name="tiles"/> evenly spaced frames side by side in one JPEG, each 120 pixels high (fewer tiles
    /// when the video has fewer frames).
    /// </summary>
    public async Task<StillImage> PreviewStripAsync(string input, string outputJpeg, int tiles = StillImagePlan.DefaultPreviewTiles, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tiles, 1);
        var (info, video, target) = await PrepareStillAsync(input, outputJpeg, ct).ConfigureAwait(false);
        var count = (int)Math.Clamp(video.ClockFrameCount, 1, tiles);
        var times = StillImagePlan.PreviewTimes(info.VideoDurationSeconds, 1 / video.ClockRate.Value, count);
        var tile = StillImagePlan.Fit(video.DisplayWidth, video.DisplayHeight, StillImagePlan.PreviewTileHeight);
        await RunStillAsync(StillImagePlan.Preview(info, video, times, tile, target), info, target, ct).ConfigureAwait(false);
        return new StillImage(target, tile.Width * count, tile.Height, count, times);
    }

    private async Task<(MediaInfo Info, VideoStreamInfo Video, string Output)> PrepareStillAsync(string input, string output, CancellationToken ct)
    {
        var info = await _prober.ProbeAsync(input, ct).ConfigureAwait(false);
        var video = info.Video ?? throw MediaErrors.NoVideoStream(info.Path);
        var target = OutputFile.Prepare(output);
        RefuseOverwritingInput(target, info.Path);
        return (info, video, target);
    }

    /// <summary>ffmpeg exits 0 having written nothing when no frame reached the encoder; that is a failure here.</summary>
    private async Task RunStillAsync(List<string> args, MediaInfo info, string target, CancellationToken ct)
    {
        File.Delete(target);
        var result = await _runner.RunAsync(args, new FfmpegRunOptions(FilePath: info.Path), ct).ConfigureAwait(false);
        if (!File.Exists(target) || new FileInfo(target).Length == 0)
        {
            throw MediaErrors.ProcessFailed("ffmpeg", info.Path, "no frame could be decoded for the image", result.StderrTail);
        }
    }

    private static void RequireSameStreams(IReadOnlyList<MediaInfo> infos)
    {
        var first = infos[0];
        foreach (var other in infos.Skip(1))
        {
            var sameVideo = (first.Video, other.Video) switch
            {
                (null, null) => true,
                ({ } a, { } b) => a.Codec == b.Codec && a.Width == b.Width && a.Height == b.Height && a.PixelFormat == b.PixelFormat,
                _ => false,
            };
            var sameAudio = (first.Audio, other.Audio) switch
            {
                (null, null) => true,
                ({ } a, { } b) => a.Codec == b.Codec && a.SampleRate == b.SampleRate && a.Channels == b.Channels,
                _ => false,
            };
            if (!sameVideo || !sameAudio)
            {
                throw MediaErrors.Unsupported(other.Path, $"its streams differ from {Path.GetFileName(first.Path)} (codec, size or audio format), so they cannot be joined without re-encoding");
            }
        }
    }

    private static void RefuseOverwritingInput(string output, string input)
    {
        if (string.Equals(Path.GetFullPath(output), Path.GetFullPath(input), StringComparison.Ordinal))
        {
            throw MediaErrors.OutputNotWritable(output, "it is also an input; write to a new file");
        }
    }

    private void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Could not remove temporary folder {Path}", path);
        }
    }
}
