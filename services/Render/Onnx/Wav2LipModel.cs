using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Pipeline.Render.Onnx;

/// <summary>
/// A loaded generator of the wav2lip contract: mel [B,1,bands,window] + face [B,6,S,S] → face [B,3,S,S]. The model's
/// declared shapes are checked against the manifest when it loads, so a mismatch is one clear error before any frame
/// is decoded. One session serves any number of chunks at once (ONNX Runtime's Run is thread-safe); each chunk brings
/// its own <see cref="Wav2LipBatch"/>.
/// </summary>
public sealed class Wav2LipModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public Wav2LipModel(string modelPath, OnnxModelManifest manifest, OnnxRuntimeOptions settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Manifest = manifest;
        var name = manifest.Name ?? Path.GetFileName(modelPath);
        var (options, provider) = ExecutionProviders.Create(settings, logger);
        try
        {
            _session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelManifestException($"{name}: ONNX Runtime cannot load the model: {e.Message.Split('\n', 2)[0]}");
        }
        finally
        {
            options.Dispose();
        }

        Provider = provider;
        try
        {
            var (mel, face, output) = (manifest.Inputs!.Mel!, manifest.Inputs.Face!, manifest.Output!);
            var s = manifest.FaceSize;
            var melBatch = Check(name, _session.InputMetadata, mel, "input", [manifest.MelBands, manifest.MelWindow], 1);
            var faceBatch = Check(name, _session.InputMetadata, face, "input", [s, s], 6);
            var outBatch = Check(name, _session.OutputMetadata, output, "output", [s, s], 3);
            var fixedBatch = new[] { melBatch, faceBatch, outBatch }.Where(b => b > 0).Distinct().ToList();
            if (fixedBatch.Count > 1)
            {
                throw new ModelManifestException($"{name}: the model's inputs and output declare different batch sizes ({string.Join(", ", fixedBatch)})");
            }

            FixedBatch = fixedBatch.Count == 1 ? fixedBatch[0] : 0;
            _inputNames = [mel, face];
            _outputNames = [output];
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        logger.LogInformation(
            "onnx: loaded {Model} ({Contract}, face {Size}, batch {Batch}, licence: {Licence}) on {Provider}",
            name, manifest.Contract, manifest.FaceSize, BatchSize, manifest.Licence, provider);
    }

    public OnnxModelManifest Manifest { get; }

    /// <summary>"cuda" or "cpu": where the session runs.</summary>
    public string Provider { get; }

    /// <summary>The batch the model's shapes fix (0: any). A shorter last batch is padded up to it.</summary>
    public int FixedBatch { get; }

    /// <summary>Frames per call: the model's fixed batch, else the manifest's.</summary>
    public int BatchSize => FixedBatch > 0 ? FixedBatch : Manifest.BatchSize;

    public Wav2LipBatch NewBatch() => new(BatchSize, Manifest.MelBands, Manifest.MelWindow, Manifest.FaceSize);

    /// <summary>Runs the first <paramref name="count"/> slots of <paramref name="batch"/>; their outputs land in its output slots.</summary>
    public void Run(Wav2LipBatch batch, int count)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, batch.Capacity);
        var b = FixedBatch > 0 ? FixedBatch : count;
        if (b > count)
        {
            // A fixed-batch model's short last batch: the unused slots are zeros, their outputs are ignored.
            batch.Mel.AsSpan(count * batch.MelFloats, (b - count) * batch.MelFloats).Clear();
            batch.Face.AsSpan(count * batch.FaceFloats, (b - count) * batch.FaceFloats).Clear();
        }

        var (bands, window, s) = (batch.Bands, batch.Window, batch.Size);
        using var mel = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.Mel.AsMemory(0, b * batch.MelFloats), [b, 1, bands, window]);
        using var face = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.Face.AsMemory(0, b * batch.FaceFloats), [b, 6, s, s]);
        using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.Output.AsMemory(0, b * batch.OutputFloats), [b, 3, s, s]);
        _session.Run(null, _inputNames, [mel, face], _outputNames, [output]);
    }

    public void Dispose() => _session.Dispose();

    // A float tensor of rank 4, [batch, channels, ...rest]; returns the fixed batch size (0 when symbolic).
    private static int Check(string model, IReadOnlyDictionary<string, NodeMetadata> metadata, string tensor, string kind, int[] rest, int channels)
    {
        if (!metadata.TryGetValue(tensor, out var node))
        {
            throw new ModelManifestException($"{model}: the model has no {kind} named '{tensor}' (it has: {string.Join(", ", metadata.Keys)})");
        }

        int[] expected = [-1, channels, .. rest];
        var dims = node.IsTensor ? node.Dimensions : [];
        var shape = $"[{string.Join(",", dims.Select(d => d > 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?"))}]";
        if (!node.IsTensor || node.ElementDataType != TensorElementType.Float || dims.Length != 4
            || Enumerable.Range(1, 3).Any(i => dims[i] > 0 && dims[i] != expected[i]))
        {
            throw new ModelManifestException(
                $"{model}: {kind} '{tensor}' is {(node.IsTensor ? node.ElementDataType.ToString().ToLowerInvariant() : "not a tensor")} {shape}, the manifest expects float [B,{string.Join(",", expected.Skip(1))}]");
        }

        return Math.Max(0, dims[0]);
    }
}
