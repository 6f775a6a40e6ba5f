using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Pipeline.FaceGeometry;
using Pipeline.Media;
using Pipeline.Render.Onnx;
using Pipeline.Rendering;
using Pipeline.Rendering.Exemplars;
using Pipeline.ServiceDefaults;

namespace Pipeline.Render.Chunks;

/// <summary>
/// Renders one chunk: decodes its frames (the same range the tracker read), redraws the lower face of each frame
/// that has one, and encodes the result. The warp backend moves the frame's own jaw and lips to the predicted shape;
/// the exemplar backend then lays the chosen exemplar's lips and teeth over them; the onnx backend draws the lower face
/// with a generator model, a batch of frames per call (<see cref="OnnxFrameDrawer"/>). Frames without a face are
/// written as decoded.
/// </summary>
public sealed class ChunkRenderer(MediaProber prober, FfmpegRunner runner, ILogger<ChunkRenderer> logger)
{
    private const int Face = Landmarks68.FloatCount;

    public async Task<ChunkRenderSummary> RunAsync(ChunkRenderJob job, string outputPath, IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Backend is not (RenderBackends.Exemplar or RenderBackends.Warp or RenderBackends.Onnx))
        {
            throw new MediaException(MediaErrorKind.Unsupported, $"the render worker has no '{job.Backend}' backend: use exemplar, warp or onnx");
        }

        if (job.Backend == RenderBackends.Onnx && job.Onnx is null)
        {
            throw new ArgumentException("the onnx backend needs its model and the new speech's mel", nameof(job));
        }

        var chunk = job.Chunk;
        var frames = (int)Math.Min(chunk.FrameCount, Math.Min(job.TrackedPresent.Length, job.PredictedPresent.Length));
        var drawable = new byte[frames];
        for (var i = 0; i < frames; i++)
        {
            drawable[i] = (byte)(job.TrackedPresent[i] != 0 && job.PredictedPresent[i] != 0 ? 1 : 0);
        }

        var choice = ChooseExemplars(job, drawable);
        var info = await prober.ProbeAsync(job.VideoPath, ct);
        var video = info.Video ?? throw new MediaException(MediaErrorKind.NoVideoStream, $"{Path.GetFileName(info.Path)} has no video stream", info.Path);
        var rate = video.ClockRate;
        // The warp and exemplar backends take yuv420p sources (8 or 10 bits) as decoded and convert only the face's box
        // to rgb24 and back (Yuv420Pixels): every pixel they do not draw on reaches the encoder as the decoder gave it,
        // and a 10-bit source is encoded at 10 bits. The onnx backend and other sources get whole rgb24 frames.
        var yuv = job.Onnx is null && VideoDecodeOptions.CanDeliverYuv420(video);
        var decode = VideoDecodeOptions.ForFrames(rate, chunk.StartFrame, chunk.FrameCount, exactColour: true) with { Yuv420 = yuv };
        await using var reader = await VideoFrameReader.OpenAsync(prober, runner, job.VideoPath, decode, ct);
        var onnx = job.Onnx is null ? null : new OnnxFrameDrawer(job.Onnx, job.Tracked, rate, reader.Width, reader.Height);
        var warp = onnx is null ? new LowerFaceWarp(reader.Width, reader.Height) : null;
        var mouth = onnx is null ? new MouthCompositor(reader.Width, reader.Height) : null;
        var matrix = YuvMatrix.FromSwscale(reader.Colour.SwscaleMatrix);
        var (rgbBefore, rgbAfter) = yuv ? (new byte[reader.Width * reader.Height * 3], new byte[reader.Width * reader.Height * 3]) : ([], []);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        // Decoding, drawing and encoding run side by side, a few frames apart: the decoder fills buffers from one
        // pool, the drawer writes redrawn frames into another, and the encoder hands each buffer back to its pool.
        // The onnx backend redraws decoded frames in place and holds up to a batch of them while it fills a model call;
        // on the yuv420p path the drawer also writes back into the decoded buffer, through two rgb24 frames of its own.
        var inputs = Pool(reader.FrameBytes, Depth + 1 + (onnx?.BatchSize ?? 0));
        var outputs = Pool(reader.FrameBytes, onnx is null && !yuv ? Depth + 1 : 0);
        var decoded = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Depth) { SingleReader = true, SingleWriter = true });
        var drawn = Channel.CreateBounded<(byte[] Frame, bool Redrawn)>(new BoundedChannelOptions(Depth) { SingleReader = true, SingleWriter = true });
        var (decoding, drawing, encoding) = (new Stopwatch(), new Stopwatch(), new Stopwatch());
        long written = 0, faces = 0;
        var switches = 0;
        var bits = reader.BitsPerSample;
        var encode = yuv ? job.Encode.ForSampleBits(bits) : job.Encode;
        await using (var writer = VideoFrameWriter.Open(runner, outputPath, reader.Width, reader.Height, reader.FrameRate, encode, reader.Colour, yuv420: yuv, bits))
        {
            logger.LogInformation("render chunk {Chunk} ({Backend}): {Decode} | {Encode}", chunk.Index, job.Backend, reader.CommandLine, writer.CommandLine);
            var decoder = Task.Run(
                async () =>
                {
                    try
                    {
                        for (long read = 0; read < chunk.FrameCount; read++)
                        {
                            var buffer = await inputs.Reader.ReadAsync(stop.Token);
                            decoding.Start();
                            var got = await reader.ReadFrameAsync(buffer, stop.Token);
                            decoding.Stop();
                            if (!got)
                            {
                                break;
                            }

                            await decoded.Writer.WriteAsync(buffer, stop.Token);
                        }

                        decoded.Writer.Complete();
                    }
                    catch (Exception e)
                    {
                        decoded.Writer.Complete(e);
                    }
                },
                stop.Token);
            var encoder = Task.Run(
                async () =>
                {
                    await foreach (var (frame, redrawn) in drawn.Reader.ReadAllAsync(stop.Token))
                    {
                        encoding.Start();
                        await writer.WriteFrameAsync(frame, stop.Token);
                        encoding.Stop();
                        await (redrawn ? outputs : inputs).Writer.WriteAsync(frame, stop.Token);
                        if (++written % 25 == 0)
                        {
                            progress?.Report(written / (double)chunk.FrameCount);
                        }
                    }
                },
                stop.Token);

            try
            {
                var i = 0;
                await foreach (var frame in decoded.Reader.ReadAllAsync(stop.Token))
                {
                    if (onnx is not null)
                    {
                        // Frames leave in order: a frame without a face first sends the faces queued before it.
                        if (i < frames && drawable[i] != 0)
                        {
                            if (onnx.Add(frame, i, chunk.StartFrame + i))
                            {
                                await onnx.FlushAsync(f => drawn.Writer.WriteAsync((f, false), stop.Token));
                            }
                        }
                        else
                        {
                            await onnx.FlushAsync(f => drawn.Writer.WriteAsync((f, false), stop.Token));
                            onnx.Reset();
                            await drawn.Writer.WriteAsync((frame, false), stop.Token);
                        }
                    }
                    else if (yuv && i < frames && drawable[i] != 0)
                    {
                        drawing.Start();
                        var predicted = job.Predicted.AsSpan(i * Face, Face);
                        var tracked = job.Tracked.AsSpan(i * Face, Face);
                        var box = LowerFaceWarp.Reach(tracked, predicted, reader.Width, reader.Height);
                        box = PixelBox.OnBlocks(box.Left, box.Top, box.Right, box.Bottom, reader.Width, reader.Height);
                        if (bits > 8)
                        {
                            var samples = MemoryMarshal.Cast<byte, ushort>(frame.AsSpan()); // little-endian, as x86 and arm64 are
                            Yuv420Pixels.ToRgb(samples, reader.Width, reader.Height, bits, matrix, box, rgbBefore);
                            DrawFace(i, rgbBefore, rgbAfter);
                            Yuv420Pixels.WriteBack(rgbBefore, rgbAfter, reader.Width, reader.Height, bits, matrix, box, samples);
                        }
                        else
                        {
                            Yuv420Pixels.ToRgb(frame, reader.Width, reader.Height, matrix, box, rgbBefore);
                            DrawFace(i, rgbBefore, rgbAfter);
                            Yuv420Pixels.WriteBack(rgbBefore, rgbAfter, reader.Width, reader.Height, matrix, box, frame);
                        }

                        drawing.Stop();
                        await drawn.Writer.WriteAsync((frame, false), stop.Token);
                        faces++;
                    }
                    else if (i < frames && drawable[i] != 0)
                    {
                        var output = await outputs.Reader.ReadAsync(stop.Token);
                        drawing.Start();
                        DrawFace(i, frame, output);
                        drawing.Stop();
                        await inputs.Writer.WriteAsync(frame, stop.Token);
                        await drawn.Writer.WriteAsync((output, true), stop.Token);
                        faces++;
                    }
                    else
                    {
                        mouth!.Reset();
                        await drawn.Writer.WriteAsync((frame, false), stop.Token);
                    }

                    i++;
                }

                if (onnx is not null)
                {
                    await onnx.FlushAsync(f => drawn.Writer.WriteAsync((f, false), stop.Token));
                    faces = onnx.FacesDrawn;
                }

                drawn.Writer.Complete();
                await Task.WhenAll(decoder, encoder);
            }
            catch
            {
                await stop.CancelAsync();
                drawn.Writer.TryComplete();
                await Task.WhenAll(decoder, encoder).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw;
            }

            encoding.Start();
            await writer.CompleteAsync(ct);
            encoding.Stop();
        }

        // The warp and exemplar backends' frame step: frame i's lower face moved to its prediction, then the chosen
        // exemplar's mouth laid over it.
        void DrawFace(int i, byte[] source, byte[] target)
        {
            var predicted = job.Predicted.AsSpan(i * Face, Face);
            warp!.Render(source, job.Tracked.AsSpan(i * Face, Face), predicted, target);
            if (choice[i] >= 0)
            {
                var entry = job.Bank!.Entries[choice[i]];
                mouth!.Apply(target, job.Bank.Crop(choice[i]), entry.Width, entry.Height, entry.Landmarks, predicted);
                switches += i > 0 && choice[i - 1] >= 0 && choice[i - 1] != choice[i] ? 1 : 0;
            }
        }

        if (written == 0)
        {
            throw new MediaException(MediaErrorKind.ProcessFailed, $"chunk {chunk.Index} of {Path.GetFileName(job.VideoPath)} decoded to no frames (frames {chunk.StartFrame}..{chunk.StartFrame + chunk.FrameCount - 1})", job.VideoPath);
        }

        var draw = drawing.Elapsed + (onnx is null ? TimeSpan.Zero : onnx.Compositing.Elapsed + onnx.Inference.Elapsed);
        return new ChunkRenderSummary(
            written, faces, switches, decoding.Elapsed.TotalSeconds, draw.TotalSeconds, encoding.Elapsed.TotalSeconds, onnx?.Inference.Elapsed.TotalSeconds ?? 0);
    }

    // Buffers in flight per pool: enough to keep the three stages busy, few enough to keep memory small (~8 MB at 720p).
    private const int Depth = 3;

    private static Channel<byte[]> Pool(int frameBytes, int buffers)
    {
        var pool = Channel.CreateUnbounded<byte[]>();
        for (var i = 0; i < buffers; i++)
        {
            pool.Writer.TryWrite(new byte[frameBytes]);
        }

        return pool;
    }

    // The exemplar per frame (-1: none), chosen over the whole chunk at once so changes are few and well placed.
    private static int[] ChooseExemplars(ChunkRenderJob job, byte[] drawable)
    {
        if (job.Backend != RenderBackends.Exemplar || job.Bank is null || job.Bank.Count == 0)
        {
            return Enumerable.Repeat(-1, drawable.Length).ToArray();
        }

        var shapes = new float[drawable.Length * ExemplarShape.Length];
        for (var i = 0; i < drawable.Length; i++)
        {
            if (drawable[i] != 0)
            {
                ExemplarShape.OfPixels(job.Predicted.AsSpan(i * Face, Face), shapes.AsSpan(i * ExemplarShape.Length, ExemplarShape.Length));
            }
        }

        return ExemplarSelector.Select(shapes, drawable, job.Bank);
    }
}
