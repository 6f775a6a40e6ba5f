using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Contracts.Jobs;
using Pipeline.Features;

namespace Pipeline.Motion.Stage;

/// <summary>
/// The motion artifact, as the motion stage stores it and <c>pipeline motion</c> writes it: landmarks.npy
/// [frames, 68, 2] (pixels), present.npy, mouth.npy and the motion.json sidecar that documents them.
/// </summary>
public static class MotionArtifact
{
    public const string Landmarks = "landmarks.npy";
    public const string Present = "present.npy";
    public const string Mouth = "mouth.npy";
    public const string Sidecar = "motion.json";

    /// <summary>The arrays, in the order a store should receive them (the sidecar goes last: its presence means complete).</summary>
    public static IReadOnlyList<string> Arrays { get; } = [Present, Mouth, Landmarks];

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <param name="emotion">The requested emotion, when the caller knows it (the CLI); the job stage reads an emotion artifact and passes null.</param>
    public static async Task WriteAsync(string folder, MotionResult result, double fps, int width, int height, EmotionSpec? emotion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        using (var w = NpyWriter.Create(Path.Combine(folder, Landmarks), NpyDType.Float32, 68, 2))
        {
            w.Write(result.Landmarks);
        }

        using (var w = NpyWriter.Create(Path.Combine(folder, Present), NpyDType.UInt8))
        {
            w.Write(result.Present);
        }

        using (var w = NpyWriter.Create(Path.Combine(folder, Mouth), NpyDType.Float32, Math.Max(result.Components, 1)))
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
            fps,
            width,
            height,
            model = result.Model,
            input_set = result.Set,
            generic_gain = result.GenericGain,
            emotion,
            files = new Dictionary<string, string>
            {
                [Landmarks] = "float32 [frames, 68, 2]: dlib/iBUG 68 points in each frame's pixel coordinates (0 where present is 0)",
                [Present] = "uint8 [frames]: 1 where the frame has a face",
                [Mouth] = "float32 [frames, components]: the mouth as PCA coefficients of the target's own mouth shapes, in standard deviations (empty column when the generic model was used)",
            },
        };
        await using var stream = File.Create(Path.Combine(folder, Sidecar));
        await JsonSerializer.SerializeAsync(stream, sidecar, Options, ct);
    }
}
