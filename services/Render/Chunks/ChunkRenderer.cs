using System.Diagnostics;
using Pipeline.FaceGeometry;
using Pipeline.Media;
using Pipeline.Rendering;
using Pipeline.Rendering.Exemplars;
using Pipeline.ServiceDefaults;

namespace Pipeline.Render.Chunks;

/// <summary>
/// Renders one chunk: decodes its frames (the same range the tracker read), redraws the lower face of each frame
/// that has one, and encodes the result. The warp backend moves the frame's own jaw and lips to the predicted shape;
/// the exemplar backend then lays the chosen exemplar's lips and teeth over them. Frames without a face are written
/// as decoded.
/// </summary>
public sealed class ChunkRenderer(MediaProber prober, FfmpegRunner runner, ILogger<ChunkRenderer> logger)
{
    private const int Face = Landmarks68.FloatCount;

    public async Task<ChunkRenderSummary> RunAsync(ChunkRenderJob job, string outputPath, IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Backend is not (RenderBackends.Exemplar or RenderBackends.Warp))
        {
            throw new MediaException(MediaErrorKind.Unsupported, $"the render worker has no '{job.Backend}' backend: use exemplar or warp");
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
        var rate = (info.Video ?? throw new MediaException(MediaErrorKind.NoVideoStream, $"{Path.GetFileName(info.Path)} has no video stream", info.Path)).ClockRate;
        var decode = new VideoDecodeOptions(
            StartSeconds: chunk.StartFrame * (double)rate.Denominator / rate.Numerator,
            DurationSeconds: chunk.FrameCount * (double)rate.Denominator / rate.Numerator,
            ExactColour: true);
        await using var reader = await VideoFrameReader.OpenAsync(prober, runner, job.VideoPath, decode, ct);
        var warp = new LowerFaceWarp(reader.Width, reader.Height);
        var mouth = new MouthCompositor(reader.Width, reader.Height);
        var frame = new byte[reader.FrameBytes];
        var drawn = new byte[reader.FrameBytes];
        var (decoding, drawing, encoding) = (new Stopwatch(), new Stopwatch(), new Stopwatch());
        long written = 0, faces = 0;
        var switches = 0;
        await using (var writer = VideoFrameWriter.Open(runner, outputPath, reader.Width, reader.Height, reader.FrameRate, job.Encode))
        {
            logger.LogInformation("render chunk {Chunk} ({Backend}): {Decode} | {Encode}", chunk.Index, job.Backend, reader.CommandLine, writer.CommandLine);
            while (written < chunk.FrameCount)
            {
                decoding.Start();
                var got = await reader.ReadFrameAsync(frame, ct);
                decoding.Stop();
                if (!got)
                {
                    break;
                }

                var i = (int)written;
                var output = frame;
                if (i < frames && drawable[i] != 0)
                {
                    drawing.Start();
                    var predicted = job.Predicted.AsSpan(i * Face, Face);
                    warp.Render(frame, job.Tracked.AsSpan(i * Face, Face), predicted, drawn);
                    if (choice[i] >= 0)
                    {
                        var entry = job.Bank!.Entries[choice[i]];
                        mouth.Apply(drawn, job.Bank.Crop(choice[i]), entry.Width, entry.Height, entry.Landmarks, predicted);
                        switches += i > 0 && choice[i - 1] >= 0 && choice[i - 1] != choice[i] ? 1 : 0;
                    }

                    drawing.Stop();
                    output = drawn;
                    faces++;
                }
                else
                {
                    mouth.Reset();
                }

                encoding.Start();
                await writer.WriteFrameAsync(output, ct);
                encoding.Stop();
                written++;
                if (written % 25 == 0)
                {
                    progress?.Report(written / (double)chunk.FrameCount);
                }
            }

            encoding.Start();
            await writer.CompleteAsync(ct);
            encoding.Stop();
        }

        if (written == 0)
        {
            throw new MediaException(MediaErrorKind.ProcessFailed, $"chunk {chunk.Index} of {Path.GetFileName(job.VideoPath)} decoded to no frames (frames {chunk.StartFrame}..{chunk.StartFrame + chunk.FrameCount - 1})", job.VideoPath);
        }

        return new ChunkRenderSummary(written, faces, switches, decoding.Elapsed.TotalSeconds, drawing.Elapsed.TotalSeconds, encoding.Elapsed.TotalSeconds);
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
