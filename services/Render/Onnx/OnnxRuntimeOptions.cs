namespace Pipeline.Render.Onnx;

/// <summary>How the onnx backend runs its model (configuration section "Render:Onnx").</summary>
public sealed class OnnxRuntimeOptions
{
    public const string Section = "Render:Onnx";

    /// <summary>
    /// "auto" (default): the CUDA execution provider when the native library and the machine have it, else the CPU,
    /// with a log line saying so; "cuda": CUDA or fail; "cpu": the CPU even on a GPU worker.
    /// </summary>
    public string Provider { get; set; } = "auto";

    /// <summary>CUDA device ordinal.</summary>
    public int CudaDevice { get; set; }

    /// <summary>Threads for one inference on the CPU; 0 lets ONNX Runtime choose (one per core).</summary>
    public int IntraOpThreads { get; set; }
}
