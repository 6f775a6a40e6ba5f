using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Render.Onnx;
using Pipeline.TestSupport;
using Pipeline.TestSupport.Onnx;

namespace Pipeline.Onnx.Tests;

/// <summary>ONNX Runtime running generated wav2lip-contract models, checked value by value against the same sums in C#.</summary>
public sealed class GeneratorTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("onnx-gen");

    public void Dispose() => _scratch.Dispose();

    // A model whose every weight matters: each output channel mixes all six face channels and the mel.
    private static LinearFaceModel Mixed(int size = 24, int? fixedBatch = null) => new(
        [0.1f, -0.2f, 0.3f, 0.25f, 0.05f, -0.1f, /**/ -0.3f, 0.2f, 0.1f, 0.15f, 0.4f, 0.05f, /**/ 0.2f, 0.2f, -0.1f, -0.05f, 0.1f, 0.45f],
        [0.2f, 0.1f, 0.3f],
        0.07f,
        size,
        FixedBatch: fixedBatch);

    private static void Expect(LinearFaceModel spec, Wav2LipBatch batch, int slot, Span<float> expected)
    {
        spec.Expected(batch.FaceSlot(slot), batch.MelSlot(slot), expected);
        var actual = batch.OutputSlot(slot);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-6, $"slot {slot} value {i}: {actual[i]} vs {expected[i]}");
        }
    }

    // ONNX Runtime's GEMM blocks a batch differently from a single frame: sums may differ in the last bit.
    private static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6, $"value {i}: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void The_model_computes_what_its_weights_say()
    {
        var spec = Mixed();
        using var model = Models.Load(spec, _scratch.File("m"), batchSize: 3);
        var batch = model.NewBatch();
        Models.Fill(batch.Face, 1);
        Models.Fill(batch.Mel, 2, -4, 4);

        model.Run(batch, 3);

        var expected = new float[batch.OutputFloats];
        for (var slot = 0; slot < 3; slot++)
        {
            Expect(spec, batch, slot, expected);
        }

        Assert.Contains(batch.Output, v => v is > 0.05f and < 0.95f); // not all clipped
        Assert.Equal("cpu", model.Provider);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4)]
    public void A_batch_of_n_gives_what_n_single_calls_give_and_a_short_last_batch_works(int? fixedBatch)
    {
        var spec = Mixed(fixedBatch: fixedBatch);
        using var model = Models.Load(spec, _scratch.File($"b{fixedBatch}"), batchSize: 4);
        Assert.Equal(4, model.BatchSize);
        var batch = model.NewBatch();
        Models.Fill(batch.Face, 3);
        Models.Fill(batch.Mel, 4, -4, 4);
        model.Run(batch, 4);
        var together = batch.Output.ToArray();

        var single = model.NewBatch();
        for (var slot = 0; slot < 4; slot++)
        {
            batch.FaceSlot(slot).CopyTo(single.FaceSlot(0));
            batch.MelSlot(slot).CopyTo(single.MelSlot(0));
            model.Run(single, 1);
            Close(together.AsSpan(slot * batch.OutputFloats, batch.OutputFloats), single.OutputSlot(0));
        }

        // A short last batch: three frames (a fixed-batch model gets a padded call), the same three answers.
        Array.Clear(batch.Output);
        model.Run(batch, 3);
        Close(together.AsSpan(0, 3 * batch.OutputFloats), batch.Output.AsSpan(0, 3 * batch.OutputFloats));
        var expected = new float[batch.OutputFloats];
        Expect(spec, batch, 2, expected);
    }

    [Fact]
    public void A_model_whose_shapes_disagree_with_its_manifest_is_refused_with_the_shapes()
    {
        var path = Mixed(size: 24).WriteWithManifest(_scratch.File("bad"));
        var manifest = OnnxModelManifest.Load(path) with { FaceSize = 32 };

        var e = Assert.Throws<ModelManifestException>(() => new Wav2LipModel(manifest.Model!, manifest, new OnnxRuntimeOptions { Provider = "cpu" }, NullLogger.Instance));

        Assert.Contains("input 'face' is float [?,6,24,24], the manifest expects float [B,6,32,32]", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_tensor_name_the_model_lacks_is_refused_naming_the_ones_it_has()
    {
        var path = Mixed().WriteWithManifest(_scratch.File("names"));
        var manifest = OnnxModelManifest.Load(path) with { Output = "out" };

        var e = Assert.Throws<ModelManifestException>(() => new Wav2LipModel(manifest.Model!, manifest, new OnnxRuntimeOptions { Provider = "cpu" }, NullLogger.Instance));

        Assert.Contains("has no output named 'out' (it has: generated)", e.Message);
    }

    [Fact]
    public void Auto_falls_back_to_the_cpu_when_cuda_is_missing_and_forcing_cuda_then_fails_clearly()
    {
        var spec = Mixed();
        using var model = Models.Load(spec, _scratch.File("auto"), provider: "auto");
        var batch = model.NewBatch();
        Models.Fill(batch.Face, 5);
        model.Run(batch, 1);
        Expect(spec, batch, 0, new float[batch.OutputFloats]);
        if (model.Provider == "cuda")
        {
            return; // a CUDA-enabled native library on a GPU machine: nothing fell back
        }

        Assert.Equal("cpu", model.Provider);
        var e = Assert.Throws<InvalidOperationException>(() => Models.Load(spec, _scratch.File("cuda"), provider: "cuda"));
        Assert.Contains("the CUDA execution provider is not available", e.Message);
        Assert.Contains("Provider=auto or cpu", e.Message);
    }
}
