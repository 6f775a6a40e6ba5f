using System.CommandLine;
using Pipeline.ServiceDefaults;

namespace Pipeline.Cli.Commands;

/// <summary><c>--backend auto|exemplar|warp|onnx</c>: which renderer draws the face; auto is the mode's default.</summary>
public static class BackendArgument
{
    public static Option<string> Option()
    {
        var option = new Option<string>("--backend")
        {
            Description = "Renderer: auto (the mode's default: exemplar for dub, warp for animate), exemplar, warp or onnx",
            DefaultValueFactory = _ => RenderBackends.Auto,
        };
        option.AcceptOnlyFromAmong([.. RenderBackends.Names]);
        return option;
    }
}
