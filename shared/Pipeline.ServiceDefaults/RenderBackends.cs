using Pipeline.Contracts.Jobs;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// The renderers a job can ask for (<see cref="BackendSpec.Name"/>). The orchestrator resolves "auto" to the mode's
/// default before dispatch, so a render worker only ever sees a concrete name.
/// </summary>
public static class RenderBackends
{
    public const string Auto = "auto";

    /// <summary>The dub default: the target's own mouth images, warped, colour-matched and blended.</summary>
    public const string Exemplar = "exemplar";

    /// <summary>The animate default and the fallback: the frame's own face mesh warped to the predicted shape.</summary>
    public const string Warp = "warp";

    /// <summary>A generator model run by ONNX Runtime, described by a manifest.</summary>
    public const string Onnx = "onnx";

    public static IReadOnlyList<string> Names { get; } = [Auto, Exemplar, Warp, Onnx];

    public static string Resolve(BackendSpec backend, JobMode mode)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var name = backend.Name.Trim().ToLowerInvariant();
        return name == Auto ? (mode == JobMode.Animate ? Warp : Exemplar) : name;
    }

    /// <summary>A one-line reason why the backend cannot be used, or null.</summary>
    public static string? Problem(BackendSpec backend) => backend.Name.Trim().ToLowerInvariant() switch
    {
        Auto or Exemplar or Warp => null,
        Onnx when string.IsNullOrWhiteSpace(backend.ModelManifestKey) => "the onnx backend needs a model manifest: pass --model path/to/manifest.json (see README, \"The onnx backend\")",
        Onnx => null,
        var other => $"unknown backend '{other}': use one of {string.Join(", ", Names)}",
    };
}
