namespace Pipeline.Media;

/// <summary>
/// Streams decoded frames as packed rgb24 from an ffmpeg pipe; only the caller's one frame buffer is in
/// memory at a time, however long the video.
/// </summary>
/// <remarks>
/// Frames come on a constant clock, <see cref="FrameRate"/> (<see cref="VideoStreamInfo.ClockRate"/>): frame i
/// shows at i / FrameRate. For constant-frame-rate input that is every frame exactly once; variable-frame-rate
/// input is resampled onto its finest step (r_frame_rate) by repeating frames, so the frame count times the
/// frame duration equals the duration and audio features on the same clock stay in sync. Rotation metadata is
/// applied (ffmpeg autorotates) and <see cref="Width"/>/<see cref="Height"/> are the rotated, scaled size.
/// </remarks>
public sealed class VideoFrameReader : IAsyncDisposable
{
    private readonly FfmpegProcess _process;
    private readonly Stream _stdout;
    private bool _ended;

    private VideoFrameReader(FfmpegProcess process, MediaInfo source, int width, int height, Rational frameRate, bool yuv420, int bits)
    {
        _process = process;
        _stdout = process.StandardOutput;
        Source = source;
        Width = width;
        Height = height;
        FrameRate = frameRate;
        IsYuv420 = yuv420;
        BitsPerSample = bits;
        FrameBytes = RawFrameBytes(width, height, yuv420, bits);
    }

    /// <summary>
    /// Bytes of one raw frame: packed rgb24, or planar yuv420p (an even size: Y, then quarter-size U and V) of a byte
    /// per sample at 8 bits, two above.
    /// </summary>
    internal static int RawFrameBytes(int width, int height, bool yuv420, int bits = 8) =>
        yuv420 ? checked(((width * height) + (2 * (width / 2) * (height / 2))) * (bits > 8 ? 2 : 1)) : checked(width * height * 3);

    /// <summary>Frames are planar yuv420p (<see cref="VideoDecodeOptions.Yuv420"/>), not rgb24.</summary>
    public bool IsYuv420 { get; }

    /// <summary>
    /// Bits per sample: 8 for rgb24 and yuv420p; 10 for a 10-bit source read as yuv420p10le, whose samples are two
    /// bytes each, little-endian (<see cref="VideoDecodeOptions.Yuv420Bits"/>).
    /// </summary>
    public int BitsPerSample { get; }

    public MediaInfo Source { get; }

    public int Width { get; }

    public int Height { get; }

    public Rational FrameRate { get; }

    /// <summary>The source's colour description: the matrix these rgb24 frames were converted with.</summary>
    public VideoColour Colour => Source.Video?.Colour ?? VideoColour.Unknown;

    /// <summary>Bytes in one frame: Width * Height * 3 for rgb24, Width * Height * 3 / 2 for yuv420p (twice that at 10 bits).</summary>
    public int FrameBytes { get; }

    public long FramesRead { get; private set; }

    public string CommandLine => _process.CommandLine;

    public static async Task<VideoFrameReader> OpenAsync(MediaProber prober, FfmpegRunner runner, string path, VideoDecodeOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(prober);
        ArgumentNullException.ThrowIfNull(runner);
        options ??= new VideoDecodeOptions();
        var info = await prober.ProbeAsync(path, ct).ConfigureAwait(false);
        var video = info.Video ?? throw MediaErrors.NoVideoStream(info.Path);
        var (width, height) = OutputSize(video.DisplayWidth, video.DisplayHeight, options.Width, options.Height, info.Path);
        var rate = video.ClockRate;

        var args = new List<string> { "-nostats", "-v", "error" };
        if (options.StartSeconds is { } start and > 0)
        {
            // Before -i: ffmpeg seeks to the keyframe before, decodes and drops up to the exact timestamp.
            args.AddRange(["-ss", FfmpegNumber.Seconds(start)]);
        }

        args.AddRange(InputArgs.For(info));
        if (options.DurationSeconds is { } duration)
        {
            if (duration <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), "DurationSeconds must be positive.");
            }

            args.AddRange(["-t", FfmpegNumber.Seconds(duration)]);
        }

        args.AddRange(["-map", $"0:{FfmpegNumber.Int(video.Index)}", "-an", "-sn", "-dn"]);
        var filters = new List<string>();
        if (options.OnlyFrames is { } only)
        {
            if (video.IsVariableFrameRate || options.StartSeconds is > 0)
            {
                throw new ArgumentException("OnlyFrames needs a constant-frame-rate video read from its start", nameof(options));
            }

            filters.Add($"select='{SelectExpression(only.ToArray())}'");
        }

        if (width != video.DisplayWidth || height != video.DisplayHeight)
        {
            filters.Add($"scale={width}:{height}:flags=bicubic");
        }

        if (filters.Count > 0)
        {
            args.AddRange(["-vf", string.Join(',', filters)]);
        }

        if (options.OnlyFrames is not null)
        {
            args.AddRange(["-fps_mode", "passthrough"]);
        }
        else if (!info.IsStillImage)
        {
            args.AddRange(["-fps_mode", "cfr", "-r", rate.ToString()]);
        }

        var yuv420 = options.Yuv420;
        if (yuv420 && (!VideoDecodeOptions.CanDeliverYuv420(video) || width != video.DisplayWidth || height != video.DisplayHeight))
        {
            throw new ArgumentException($"{Path.GetFileName(info.Path)} cannot be read as yuv420p untouched ({video.PixelFormat}, range {video.Colour.Range ?? "unknown"}, {width}x{height})", nameof(options));
        }

        if (options.ExactColour && !yuv420)
        {
            args.AddRange(["-sws_flags", "accurate_rnd+full_chroma_int+bicubic"]);
        }

        var bits = yuv420 ? VideoDecodeOptions.Yuv420Bits(video) : 8;
        args.AddRange(["-pix_fmt", yuv420 ? VideoDecodeOptions.Yuv420PixelFormat(bits) : "rgb24", "-f", "rawvideo", "pipe:1"]);

        var process = runner.Start(args, new FfmpegRunOptions(FilePath: info.Path), redirectStdout: true);
        return new VideoFrameReader(process, info, width, height, rate, yuv420, bits);
    }

    /// <summary>
    /// "frame n is one of these", as a sum of eq() terms grouped in a balanced tree: ffmpeg's expression parser
    /// recurses once per operator, and a flat chain of about 150 terms overflows it (measured: 100 parse, 160 fail).
    /// </summary>
    internal static string SelectExpression(ReadOnlySpan<long> frames)
    {
        if (frames.Length <= 8)
        {
            var terms = new string[frames.Length];
            for (var i = 0; i < frames.Length; i++)
            {
                terms[i] = $"eq(n,{FfmpegNumber.Int(frames[i])})";
            }

            return frames.Length == 0 ? "0" : string.Join('+', terms);
        }

        var half = frames.Length / 2;
        return $"({SelectExpression(frames[..half])})+({SelectExpression(frames[half..])})";
    }

    /// <summary>
    /// Fills <paramref name="rgb24"/> (exactly <see cref="FrameBytes"/> long) with the next frame.
    /// Returns false at the end; a failed decode throws <see cref="MediaException"/>.
    /// </summary>
    public async ValueTask<bool> ReadFrameAsync(Memory<byte> rgb24, CancellationToken ct = default)
    {
        if (rgb24.Length != FrameBytes)
        {
            throw new ArgumentException($"The frame buffer must be exactly {FrameBytes} bytes ({Width}x{Height} {(IsYuv420 ? VideoDecodeOptions.Yuv420PixelFormat(BitsPerSample) : "rgb24")}), not {rgb24.Length}.", nameof(rgb24));
        }

        if (_ended)
        {
            return false;
        }

        int filled;
        try
        {
            filled = await _stdout.ReadAtLeastAsync(rgb24, FrameBytes, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await _process.StopAsync().ConfigureAwait(false);
            throw MediaErrors.Cancelled("ffmpeg", Source.Path);
        }

        if (filled == FrameBytes)
        {
            FramesRead++;
            return true;
        }

        _ended = true;

        // End of the pipe: the exit code tells a clean end from a decode failure (which throws here).
        await _process.WaitForExitAsync(ct).ConfigureAwait(false);
        if (filled != 0)
        {
            throw MediaErrors.ProcessFailed("ffmpeg", Source.Path, $"the last frame was cut short ({filled} of {FrameBytes} bytes)", _process.StderrTail);
        }

        return false;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    internal static (int Width, int Height) OutputSize(int sourceWidth, int sourceHeight, int? width, int? height, string path)
    {
        if (sourceWidth <= 0 || sourceHeight <= 0)
        {
            throw MediaErrors.Unsupported(path, "the video has no picture size ffmpeg can report");
        }

        var w = width ?? 0;
        var h = height ?? 0;
        if (w < 0 || h < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "Width and Height must not be negative.");
        }

        return (w, h) switch
        {
            (0, 0) => (sourceWidth, sourceHeight),
            (_, 0) => (w, Math.Max(1, (int)Math.Round((double)w * sourceHeight / sourceWidth))),
            (0, _) => (Math.Max(1, (int)Math.Round((double)h * sourceWidth / sourceHeight)), h),
            _ => (w, h),
        };
    }
}
