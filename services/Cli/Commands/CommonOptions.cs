using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>Options several commands share, declared once so they read the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object at the end instead of text" };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log each stage and every ffmpeg command line to stderr" };
}
