using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.FaceGeometry;
using Pipeline.FaceTracking.Tracking;
using Pipeline.Features;
using Pipeline.Media;
using Pipeline.Motion.Evaluation;
using Pipeline.Motion.Stage;
using Pipeline.Render.Chunks;
using Pipeline.Render.Exemplars;
using Pipeline.ServiceDefaults;

namespace Pipeline.Cli.Eval;

/// <summary>
/// Eval's render metrics (DESIGN.md §4): the predicted part of the clip is rendered by the dub renderer, with an
/// exemplar bank cut from the fitting part only, for ours and for the static baseline. Each rendering is then tracked
/// again (did the renderer draw what motion predicted?) and compared with the real frames in the mouth region (SSIM,
/// PSNR) and outside the lower face (PSNR: only codec noise may differ there).
/// </summary>
public sealed class RenderEvaluator(MediaProber prober, FfmpegRunner runner, ILoggerFactory logs)
{
    private const int Face = Landmarks68.FloatCount;

    public sealed record Scores(double RetrackedMLmd, double MouthSsim, double MouthPsnr, double OutsidePsnr);

    public async Task<(Scores Ours, Scores Static)> EvaluateAsync(
        string videoPath, ClipData clip, ClipEvaluator.Predictions p, string work, string? sideBySidePath, CancellationToken ct)
    {
        Directory.CreateDirectory(work);
        var pixels = ToPixels(clip.Faces, clip.ToCanonical, clip.Valid, 0, clip.Frames);
        var bank = await new ExemplarBankBuilder(prober, runner, logs.CreateLogger<ExemplarBankBuilder>())
            .BuildAsync(videoPath, pixels, clip.Valid, p.First / clip.Fps, ExemplarBankBuilder.DefaultSize, null, ct);
        var chunk = new ChunkRange(0, p.First, p.Count, p.First / clip.Fps, p.Count / clip.Fps);
        var tracked = pixels.AsSpan(p.First * Face, p.Count * Face).ToArray();
        var renderer = new ChunkRenderer(prober, runner, logs.CreateLogger<ChunkRenderer>());

        async Task<(Scores, string)> RenderAsync(string name, float[] canonical)
        {
            var predicted = ToPixels(canonical, clip.ToCanonical.AsSpan(p.First * 4).ToArray(), p.Valid, 0, p.Count);
            var output = Path.Combine(work, name + ".mp4");
            var job = new ChunkRenderJob(videoPath, chunk, tracked, p.Valid, predicted, p.Valid, RenderBackends.Exemplar, bank, EncodeSettings.Default);
            await renderer.RunAsync(job, output, null, ct);
            var (ssim, mouthPsnr, outsidePsnr) = await CompareAsync(videoPath, chunk, output, tracked, p.Valid, ct);
            var retracked = await RetrackAsync(output, Path.Combine(work, name + "-track"), p, ct);
            return (new Scores(retracked, ssim, mouthPsnr, outsidePsnr), output);
        }

        var (ours, oursPath) = await RenderAsync("ours", p.Ours);
        var (stat, staticPath) = await RenderAsync("static", p.Static);
        if (sideBySidePath is not null)
        {
            await SideBySideAsync(videoPath, chunk, oursPath, staticPath, sideBySidePath, ct);
        }

        return (ours, stat);
    }

    // Decodes the real frames of the range and the rendering side by side and measures them on luma.
    private async Task<(double Ssim, double MouthPsnr, double OutsidePsnr)> CompareAsync(
        string videoPath, ChunkRange chunk, string renderedPath, float[] real, byte[] valid, CancellationToken ct)
    {
        var info = await prober.ProbeAsync(videoPath, ct);
        var rate = info.Video!.ClockRate;
        var decode = VideoDecodeOptions.ForFrames(rate, chunk.StartFrame, chunk.FrameCount, exactColour: true);
        await using var a = await VideoFrameReader.OpenAsync(prober, runner, videoPath, decode, ct);
        await using var b = await VideoFrameReader.OpenAsync(prober, runner, renderedPath, new VideoDecodeOptions(ExactColour: true), ct);
        var (width, height) = (a.Width, a.Height);
        var (fa, fb) = (new byte[a.FrameBytes], new byte[b.FrameBytes]);
        var (la, lb) = (new float[width * height], new float[width * height]);
        double ssim = 0, mouthSum = 0, outsideSum = 0;
        long mouthCount = 0, outsideCount = 0;
        var ssimFrames = 0;
        for (var f = 0; f < chunk.FrameCount && await a.ReadFrameAsync(fa, ct) && await b.ReadFrameAsync(fb, ct); f++)
        {
            ImageQuality.Luma(fa, la);
            ImageQuality.Luma(fb, lb);
            if (valid[f] == 0)
            {
                ImageQuality.AddSquaredError(la, lb, width, height, PixelBox.Empty, inside: false, ref outsideSum, ref outsideCount);
                continue;
            }

            var face = real.AsSpan(f * Face, Face);
            var mouth = PixelBox.Mouth(face).Clip(width, height);
            var value = ImageQuality.Ssim(la, lb, width, mouth);
            if (double.IsFinite(value))
            {
                ssim += value;
                ssimFrames++;
            }

            ImageQuality.AddSquaredError(la, lb, width, height, mouth, inside: true, ref mouthSum, ref mouthCount);
            ImageQuality.AddSquaredError(la, lb, width, height, PixelBox.LowerFace(face), inside: false, ref outsideSum, ref outsideCount);
        }

        return (ssimFrames == 0 ? double.NaN : ssim / ssimFrames, ImageQuality.Psnr(mouthSum, mouthCount), ImageQuality.Psnr(outsideSum, outsideCount));
    }

    // The rendering tracked like any video; its mouths against the real ones, on frames with a face in both.
    private async Task<double> RetrackAsync(string renderedPath, string folder, ClipEvaluator.Predictions p, CancellationToken ct)
    {
        await new FaceTrackRunner(prober, runner, new FaceTrackerOptions(), logs.CreateLogger<FaceTrackRunner>())
            .RunAsync(renderedPath, null, FaceSelection.Largest, folder, null, ct);
        var landmarks = NpyReader.Load<float>(Path.Combine(folder, FaceTrackFiles.Landmarks)).Data;
        var present = NpyReader.Load<byte>(Path.Combine(folder, FaceTrackFiles.Present)).Data;
        var frames = Math.Min(p.Count, present.Length);
        var track = CanonicalTrack.From(landmarks, present, frames);
        var both = new byte[frames];
        for (var f = 0; f < frames; f++)
        {
            both[f] = (byte)(p.Valid[f] != 0 && track.Present[f] != 0 ? 1 : 0);
        }

        return LandmarkMetrics.MouthLmd(track.Faces, p.Real.AsSpan(0, frames * Face), both, frames);
    }

    // real | ours | static, with the clip's own sound, for looking and listening. The real frames are decoded as
    // the renderer decoded them, so the three columns show the same instant.
    private async Task SideBySideAsync(string videoPath, ChunkRange chunk, string ours, string stat, string outPath, CancellationToken ct)
    {
        var info = await prober.ProbeAsync(videoPath, ct);
        var rate = info.Video!.ClockRate;
        var decode = VideoDecodeOptions.ForFrames(rate, chunk.StartFrame, chunk.FrameCount, exactColour: true);
        var start = decode.StartSeconds ?? 0;
        var silent = outPath + ".video.mp4";
        try
        {
            await using (var real = await VideoFrameReader.OpenAsync(prober, runner, videoPath, decode, ct))
            await using (var a = await VideoFrameReader.OpenAsync(prober, runner, ours, null, ct))
            await using (var b = await VideoFrameReader.OpenAsync(prober, runner, stat, null, ct))
            {
                var (w, h) = (real.Width, real.Height);
                var columns = new[] { new byte[real.FrameBytes], new byte[real.FrameBytes], new byte[real.FrameBytes] };
                var wide = new byte[3 * real.FrameBytes];
                await using var writer = VideoFrameWriter.Open(runner, silent, 3 * w, h, rate, EncodeSettings.Default with { Crf = 20 });
                while (await real.ReadFrameAsync(columns[0], ct) && await a.ReadFrameAsync(columns[1], ct) && await b.ReadFrameAsync(columns[2], ct))
                {
                    for (var y = 0; y < h; y++)
                    {
                        for (var c = 0; c < 3; c++)
                        {
                            columns[c].AsSpan(y * w * 3, w * 3).CopyTo(wide.AsSpan(((y * 3 * w) + (c * w)) * 3, w * 3));
                        }
                    }

                    await writer.WriteFrameAsync(wide, ct);
                }

                await writer.CompleteAsync(ct);
            }

            var seconds = start.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
            await runner.RunAsync(
                ["-hide_banner", "-y", "-i", silent, "-ss", seconds, "-i", videoPath, "-map", "0:v:0", "-map", "1:a:0?", "-c:v", "copy", "-c:a", "aac", "-shortest", outPath],
                new FfmpegRunOptions(FilePath: outPath),
                ct);
        }
        finally
        {
            File.Delete(silent);
        }
    }

    private static float[] ToPixels(ReadOnlySpan<float> canonical, ReadOnlySpan<double> toCanonical, ReadOnlySpan<byte> valid, int first, int count)
    {
        var pixels = new float[count * Face];
        for (var f = 0; f < count; f++)
        {
            if (valid[first + f] == 0)
            {
                continue;
            }

            var t = toCanonical.Slice((first + f) * 4, 4);
            new SimilarityTransform(t[0], t[1], t[2], t[3]).Inverse().Apply(canonical.Slice((first + f) * Face, Face), pixels.AsSpan(f * Face, Face));
        }

        return pixels;
    }
}
