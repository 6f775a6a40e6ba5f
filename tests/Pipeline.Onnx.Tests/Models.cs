using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Render.Onnx;
using Pipeline.TestSupport.Onnx;

namespace Pipeline.Onnx.Tests;

/// <summary>Generated test models written to disk with their manifests, and loaded as the render worker loads them.</summary>
public static class Models
{
    public static Wav2LipModel Load(LinearFaceModel model, string folder, int batchSize = 4, string provider = "cpu")
    {
        var path = model.WriteWithManifest(folder, batchSize);
        var manifest = OnnxModelManifest.Load(path);
        return new Wav2LipModel(manifest.Model!, manifest, new OnnxRuntimeOptions { Provider = provider, IntraOpThreads = 1 }, NullLogger.Instance);
    }

    /// <summary>Deterministic values in [0, 1) for faces and [-4, 4) for mels.</summary>
    public static void Fill(Span<float> values, int seed, float low = 0, float high = 1)
    {
        var random = new Random(seed);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = low + ((high - low) * random.NextSingle());
        }
    }
}
