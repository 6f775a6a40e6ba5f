using System.Text.Json;
using Pipeline.Cli.Eval;
using Pipeline.Contracts.Jobs;
using Pipeline.Features;
using Pipeline.Motion.Stage;

namespace Pipeline.Cli.Commands;

/// <summary>The motion artifact: landmarks.npy [frames, 68, 2] (pixels), present.npy, mouth.npy and motion.json.</summary>
public static class MotionFiles
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static async Task WriteAsync(string folder, MotionResult result, ClipData clip, EmotionSpec emotion, CancellationToken ct)
    {
        using (var w = NpyWriter.Create(Path.Combine(folder, "landmarks.npy"), NpyDType.Float32, 68, 2))
        {
            w.Write(result.Landmarks);
        }

        using (var w = NpyWriter.Create(Path.Combine(folder, "present.npy"), NpyDType.UInt8))
        {
            w.Write(result.Present);
        }

        using (var w = NpyWriter.Create(Path.Combine(folder, "mouth.npy"), NpyDType.Float32, Math.Max(result.Components, 1)))
        {
            if (result.Components > 0)
            {
                w.Write(result.MouthCoefficients);
            }
        }

        var sidecar = new
        {
            format = "pipeline.motion",
            schema_version = 1,
            frames = result.Frames,
            fps = clip.Fps,
            width = clip.Width,
            height = clip.Height,
            model = result.Model,
            input_set = result.Set,
            generic_gain = result.GenericGain,
            emotion,
            files = new Dictionary<string, string>
            {
                ["landmarks.npy"] = "float32 [frames, 68, 2]: dlib/iBUG 68 points in each frame's pixel coordinates (0 where present is 0)",
                ["present.npy"] = "uint8 [frames]: 1 where the frame has a face",
                ["mouth.npy"] = "float32 [frames, components]: the mouth as PCA coefficients of the target's own mouth shapes, in standard deviations (empty column when the generic model was used)",
            },
        };
        await using var stream = File.Create(Path.Combine(folder, "motion.json"));
        await JsonSerializer.SerializeAsync(stream, sidecar, Options, ct);
    }
}
