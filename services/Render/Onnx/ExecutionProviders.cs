using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Pipeline.Render.Onnx;

/// <summary>
/// Session options for the configured execution provider. CUDA is tried first on "auto": ONNX Runtime reports an error
/// when its native library was built without CUDA (the npm build in /.ort is CPU-only) or the machine has no usable
/// GPU, and the backend then runs on the CPU and says so once in the log.
/// </summary>
public static class ExecutionProviders
{
    public const string Auto = "auto";
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    /// <returns>The options and the provider they use ("cuda" or "cpu").</returns>
    public static (SessionOptions Options, string Provider) Create(OnnxRuntimeOptions settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var wanted = settings.Provider.Trim().ToLowerInvariant();
        if (wanted is not (Auto or Cpu or Cuda))
        {
            throw new ModelManifestException($"{OnnxRuntimeOptions.Section}:Provider must be auto, cpu or cuda, got '{settings.Provider}'");
        }

        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (settings.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = settings.IntraOpThreads;
        }

        if (wanted == Cpu)
        {
            return (options, Cpu);
        }

        try
        {
            options.AppendExecutionProvider_CUDA(settings.CudaDevice);
            return (options, Cuda);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            if (wanted == Cuda)
            {
                options.Dispose();
                throw new InvalidOperationException($"the CUDA execution provider is not available ({FirstLine(e.Message)}); use {OnnxRuntimeOptions.Section}:Provider=auto or cpu", e);
            }

            logger.LogInformation("onnx: CUDA execution provider not available ({Reason}); running on the CPU", FirstLine(e.Message));
            options.Dispose();
            var cpu = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            if (settings.IntraOpThreads > 0)
            {
                cpu.IntraOpNumThreads = settings.IntraOpThreads;
            }

            return (cpu, Cpu);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
