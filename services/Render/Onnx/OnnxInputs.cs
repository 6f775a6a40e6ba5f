namespace Pipeline.Render.Onnx;

/// <summary>What a chunk needs for the onnx backend: the loaded model and the new speech's wav2lip mel ([rows, 80], time-major).</summary>
public sealed record OnnxInputs(Wav2LipModel Model, float[] Mel);
