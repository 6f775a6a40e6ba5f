using Pipeline.Cli.Eval;
using Pipeline.FaceGeometry;
using Pipeline.Media;
using Pipeline.Motion.Stage;
using Pipeline.Rendering;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline motion --preview FILE</c>: the predicted motion drawn onto the target's own frames with the warp
/// backend's frame step (<see cref="LowerFaceWarp"/>), muxed with the new speech, to look at and listen to. Not the
/// render stage: no chunks, no exemplar textures, no colour matching.
/// </summary>
public static class MotionPreview
{
    public static async Task WriteAsync(
        MediaProber prober, FfmpegRunner runner, string videoPath, string audioPath, Rational rate, ClipData clip, MotionResult result, string outPath, CancellationToken ct)
    {
        var silent = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, $".preview-{Guid.NewGuid():N}.mp4");
        try
        {
            await using (var reader = await VideoFrameReader.OpenAsync(prober, runner, videoPath, null, ct))
            {
                var warp = new LowerFaceWarp(reader.Width, reader.Height);
                var frame = new byte[reader.FrameBytes];
                var drawn = new byte[reader.FrameBytes];
                var tracked = new float[Landmarks68.FloatCount];
                await using var writer = VideoFrameWriter.Open(runner, silent, reader.Width, reader.Height, rate, EncodeSettings.Default, reader.Colour);
                for (var i = 0; i < result.Frames && await reader.ReadFrameAsync(frame, ct); i++)
                {
                    if (result.Present[i] == 0 || i >= clip.Frames || clip.Valid[i] == 0)
                    {
                        await writer.WriteFrameAsync(frame, ct);
                        continue;
                    }

                    var t = clip.ToCanonical.AsSpan(i * 4, 4);
                    new SimilarityTransform(t[0], t[1], t[2], t[3]).Inverse().Apply(clip.Faces.AsSpan(i * Landmarks68.FloatCount, Landmarks68.FloatCount), tracked);
                    warp.Render(frame, tracked, result.Landmarks.AsSpan(i * Landmarks68.FloatCount, Landmarks68.FloatCount), drawn);
                    await writer.WriteFrameAsync(drawn, ct);
                }

                await writer.CompleteAsync(ct);
            }

            await runner.RunAsync(
                ["-hide_banner", "-y", "-i", silent, "-i", audioPath, "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac", "-shortest", outPath],
                new FfmpegRunOptions(FilePath: outPath),
                ct);
        }
        finally
        {
            File.Delete(silent);
        }
    }
}
