namespace Pipeline.Media;

/// <summary>Encodes rgb24 (or yuv420p, 8 or 10 bits) frames written to ffmpeg's stdin into a video file (no audio), one frame at a time.</summary>
public sealed class VideoFrameWriter : IAsyncDisposable
{
    private readonly FfmpegProcess _process;
    private readonly Stream _stdin;
    private readonly string _outputPath;
    private readonly string _format;
    private bool _completed;

    private VideoFrameWriter(FfmpegProcess process, string outputPath, int width, int height, bool yuv420, int bits)
    {
        _process = process;
        _stdin = process.StandardInput;
        _outputPath = outputPath;
        Width = width;
        Height = height;
        FrameBytes = VideoFrameReader.RawFrameBytes(width, height, yuv420, bits);
        _format = yuv420 ? VideoDecodeOptions.Yuv420PixelFormat(bits) : "rgb24";
    }

    public int Width { get; }

    public int Height { get; }

    public int FrameBytes { get; }

    public long FramesWritten { get; private set; }

    public string CommandLine => _process.CommandLine;

    /// <summary>
    /// Starts the encoder. The container follows the extension (.mp4/.mov get +faststart); an odd size with a
    /// 4:2:0 pixel format loses its last column/row, which such formats cannot store. Frames decoded from a video
    /// (<see cref="VideoFrameReader.Colour"/>) pass its <paramref name="colour"/>, so they are encoded back with the matrix
    /// they were decoded with and tagged as it was.
    /// </summary>
    /// <param name="yuv420">Frames are planar yuv420p in the source's own matrix (an even size), not rgb24: they go to
    /// the encoder as they are, so whatever the caller did not draw on stays the decoded pixels exactly.</param>
    /// <param name="bits">Bits per sample of those planar frames: 8, or 10 (yuv420p10le, two bytes a sample).</param>
    public static VideoFrameWriter Open(
        FfmpegRunner runner, string outputPath, int width, int height, Rational frameRate, EncodeSettings settings, VideoColour? colour = null, bool yuv420 = false, int bits = 8)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (!frameRate.IsValid)
        {
            throw new ArgumentOutOfRangeException(nameof(frameRate), $"Frame rate {frameRate} is not a positive ratio.");
        }

        var output = OutputFile.Prepare(outputPath);
        var args = new List<string>
        {
            "-nostats", "-y",
            "-f", "rawvideo", "-pix_fmt", yuv420 ? VideoDecodeOptions.Yuv420PixelFormat(bits) : "rgb24", "-video_size", $"{width}x{height}", "-framerate", frameRate.ToString(),
            "-i", "pipe:0", "-an",
        };
        if (yuv420 && (width % 2 != 0 || height % 2 != 0))
        {
            throw new ArgumentException($"yuv420p frames need an even size, not {width}x{height}");
        }

        var (matrix, tags) = (colour ?? VideoColour.Unknown).EncoderArgs();
        matrix = yuv420 ? null : matrix; // already in the source's matrix: no conversion, only the tags
        var filters = new[] { settings.EvenSizeFilter(width, height), matrix }.OfType<string>().ToList();
        if (filters.Count > 0)
        {
            args.AddRange(["-vf", string.Join(',', filters)]);
        }

        args.AddRange(settings.VideoArgs());
        args.AddRange(tags);
        if (OutputContainer.FromPath(output) is { } container)
        {
            args.AddRange(container.Args());
        }

        args.Add(output);
        var process = runner.Start(args, new FfmpegRunOptions(FilePath: output), redirectStdin: true);
        return new VideoFrameWriter(process, output, width, height, yuv420, yuv420 ? bits : 8);
    }

    public async ValueTask WriteFrameAsync(ReadOnlyMemory<byte> rgb24, CancellationToken ct = default)
    {
        if (rgb24.Length != FrameBytes)
        {
            throw new ArgumentException($"A frame must be exactly {FrameBytes} bytes ({Width}x{Height} {_format}), not {rgb24.Length}.", nameof(rgb24));
        }

        ObjectDisposedException.ThrowIf(_completed, this);
        try
        {
            await _stdin.WriteAsync(rgb24, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await _process.StopAsync().ConfigureAwait(false);
            throw MediaErrors.Cancelled("ffmpeg", _outputPath);
        }
        catch (IOException)
        {
            // Broken pipe: ffmpeg has died; its exit status says why (and throws).
            _completed = true;
            await _process.WaitForExitAsync(ct).ConfigureAwait(false);
            throw MediaErrors.ProcessFailed("ffmpeg", _outputPath, "the encoder stopped taking frames", _process.StderrTail);
        }

        FramesWritten++;
    }

    /// <summary>Ends the input and waits for the encoder to finish the file.</summary>
    public async Task<FfmpegResult> CompleteAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        try
        {
            await _stdin.FlushAsync(ct).ConfigureAwait(false);
            _stdin.Close();
        }
        catch (IOException)
        {
            // ffmpeg already exited; WaitForExitAsync reports how.
        }

        return await _process.WaitForExitAsync(ct).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _completed = true;
        return _process.DisposeAsync();
    }
}
