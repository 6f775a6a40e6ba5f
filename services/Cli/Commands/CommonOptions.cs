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

    /// <summary>The key a distributed stack's Api asks for (PIPELINE_API_KEY sets a default; infra/stack.sh up prints one).</summary>
    public static Option<string?> ApiKey() => new("--api-key")
    {
        Description = "With --server: the API key to send (default: $PIPELINE_API_KEY; infra/stack.sh up prints one, pipeline keys create makes one)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PIPELINE_API_KEY") is { Length: > 0 } key ? key : null,
    };

    /// <summary>The stack to run on, or null to run in this process.</summary>
    public static RemoteServer? Remote(string? server, string? apiKey) => server is null ? null : new RemoteServer(server, apiKey);

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log each stage and every ffmpeg command line to stderr" };
}

/// <summary>A distributed stack's Api and the key to present to it.</summary>
public sealed record RemoteServer(string Url, string? ApiKey);
