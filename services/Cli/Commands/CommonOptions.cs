using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>Options several commands share, declared once so they read the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object at the end instead of text" };

    /// <summary>Run on a distributed stack instead of in this process (PIPELINE_SERVER sets a default).</summary>
    public static Option<string?> Server() => new("--server")
    {
        Description = "Run the job on a distributed stack: its Api's URL, as infra/stack.sh up prints it (default: $PIPELINE_SERVER, else in this process)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PIPELINE_SERVER") is { Length: > 0 } url ? url : null,
    };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log each stage and every ffmpeg command line to stderr" };
}
