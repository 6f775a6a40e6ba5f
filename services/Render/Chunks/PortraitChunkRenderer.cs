using System.Diagnostics;
using System.Threading.Channels;
using Pipeline.FaceGeometry;
using Pipeline.Media;
using Pipeline.Rendering.Portrait;

namespace Pipeline.Render.Chunks;

/// <summary>
/// Renders one chunk of animate mode: the photo, decoded once, redrawn for every frame to that frame's predicted face
/// (<see cref="PortraitWarp"/>), and encoded. Drawing and encoding run side by side. An odd-sized photo loses its last
/// column or row, because H.264's 4:2:0 needs even sizes; landmarks are unaffected, as they count from the top left.
/// </summary>
public sealed class PortraitChunkRenderer(MediaProber prober, FfmpegRunner runner, ILogger<PortraitChunkRenderer> logger)
{
    /// <summary>Part of the render stage's key for photo chunks: raise it when the drawing changes.</summary>
    public const int Version = 2;

    private const int Face = Landmarks68.FloatCount;
    private const int Depth = 3;

    /// <param name="job">The chunk; <see cref="ChunkRenderJob.Tracked"/> holds the photo's one face.</param>
    /// <param name="fps">The output clock.</param>
    public async Task<ChunkRenderSummary> RunAsync(ChunkRenderJob job, int fps, string outputPath, IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        if (job.TrackedPresent.Length < 1 || job.TrackedPresent[0] == 0 || job.Tracked.Length < Face)
        {
            throw new MediaException(MediaErrorKind.Unsupported, $"no face was found in the photo {Path.GetFileName(job.VideoPath)}: animate needs a clearly visible face", job.VideoPath);
        }

        var decode = Stopwatch.StartNew();
        var (photo, sourceWidth, width, height) = await ReadPhotoAsync(job.VideoPath, ct);
        decode.Stop();

        var photoFace = job.Tracked.AsSpan(0, Face).ToArray();
        var warp = new PortraitWarp(width, height);
        var frameBytes = width * height * 3;
        var pool = Channel.CreateUnbounded<byte[]>();
        for (var i = 0; i < Depth + 1; i++)
        {
            pool.Writer.TryWrite(new byte[frameBytes]);
        }

        var drawn = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Depth) { SingleReader = true, SingleWriter = true });
        var (drawing, encoding) = (new Stopwatch(), new Stopwatch());
        long written = 0, faces = 0;
        var frames = job.Chunk.FrameCount;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using (var writer = VideoFrameWriter.Open(runner, outputPath, width, height, new Rational(fps, 1), job.Encode))
        {
            logger.LogInformation("render chunk {Chunk} (photo, {Backend}): {Width}x{Height} | {Encode}", job.Chunk.Index, job.Backend, width, height, writer.CommandLine);
            var encoder = Task.Run(
                async () =>
                {
                    await foreach (var frame in drawn.Reader.ReadAllAsync(stop.Token))
                    {
                        encoding.Start();
                        await writer.WriteFrameAsync(frame, stop.Token);
                        encoding.Stop();
                        await pool.Writer.WriteAsync(frame, stop.Token);
                        if (++written % 25 == 0)
                        {
                            progress?.Report(written / (double)frames);
                        }
                    }
                },
                stop.Token);
            try
            {
                for (var i = 0; i < frames; i++)
                {
                    var output = await pool.Reader.ReadAsync(stop.Token);
                    drawing.Start();
                    var redraw = i < job.PredictedPresent.Length && job.PredictedPresent[i] != 0;
                    if (redraw)
                    {
                        warp.Render(photo, photoFace, job.Predicted.AsSpan(i * Face, Face), output);
                        faces++;
                    }
                    else
                    {
                        photo.CopyTo(output, 0);
                    }

                    drawing.Stop();
                    await drawn.Writer.WriteAsync(output, stop.Token);
                }

                drawn.Writer.Complete();
                await encoder;
            }
            catch
            {
                await stop.CancelAsync();
                drawn.Writer.TryComplete();
                await encoder.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw;
            }

            encoding.Start();
            await writer.CompleteAsync(ct);
            encoding.Stop();
        }

        logger.LogDebug("photo {Path}: {SourceWidth} px wide, drawn at {Width}x{Height}", job.VideoPath, sourceWidth, width, height);
        return new ChunkRenderSummary(written, faces, 0, decode.Elapsed.TotalSeconds, drawing.Elapsed.TotalSeconds, encoding.Elapsed.TotalSeconds);
    }

    // The photo as rgb24, cropped to even sizes.
    private async Task<(byte[] Pixels, int SourceWidth, int Width, int Height)> ReadPhotoAsync(string path, CancellationToken ct)
    {
        await using var reader = await VideoFrameReader.OpenAsync(prober, runner, path, new VideoDecodeOptions(ExactColour: true), ct);
        var full = new byte[reader.FrameBytes];
        if (!await reader.ReadFrameAsync(full, ct))
        {
            throw new MediaException(MediaErrorKind.ProcessFailed, $"{Path.GetFileName(path)} decoded to no picture", path);
        }

        var (width, height) = (reader.Width & ~1, reader.Height & ~1);
        if (width < 2 || height < 2)
        {
            throw new MediaException(MediaErrorKind.Unsupported, $"{Path.GetFileName(path)} is {reader.Width}x{reader.Height}: too small to animate", path);
        }

        if (width == reader.Width && height == reader.Height)
        {
            return (full, reader.Width, width, height);
        }

        var even = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            full.AsSpan(y * reader.Width * 3, width * 3).CopyTo(even.AsSpan(y * width * 3));
        }

        return (even, reader.Width, width, height);
    }
}
