using System.CommandLine;
using System.CommandLine.Parsing;
using Pipeline.ServiceDefaults;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>--backend auto|exemplar|warp|onnx</c>: which renderer draws the face; auto is the mode's default, or onnx when
/// <c>--model</c> names a model manifest.
/// </summary>
public static class BackendArgument
{
    public static Option<string> Option()
    {
        var option = new Option<string>("--backend")
        {
            Description = "Renderer: auto (the mode's default: exemplar for dub, warp for animate; onnx with --model), exemplar, warp or onnx",
            DefaultValueFactory = _ => RenderBackends.Auto,
        };
        option.AcceptOnlyFromAmong([.. RenderBackends.Names]);
        return option;
    }

    public static Option<string?> ModelOption() => new("--model")
    {
        Description = "The onnx backend's model manifest (JSON naming the .onnx file, its licence, tensors and crop; see README)",
    };

    /// <summary>The backend a user asked for: auto with a model is onnx.</summary>
    public static string Name(string backend, string? model) =>
        model is not null && backend.Trim().Equals(RenderBackends.Auto, StringComparison.OrdinalIgnoreCase) ? RenderBackends.Onnx : backend;

    /// <summary>A model only means something to the onnx backend.</summary>
    public static void Validate(CommandResult result, Option<string> backend, Option<string?> model)
    {
        ArgumentNullException.ThrowIfNull(result);
        var name = result.GetValue(backend) ?? RenderBackends.Auto;
        if (result.GetValue(model) is not null && Name(name, "model") != RenderBackends.Onnx)
        {
            result.AddError($"--model is for the onnx backend, not '{name}': use --backend onnx");
        }
    }
}
