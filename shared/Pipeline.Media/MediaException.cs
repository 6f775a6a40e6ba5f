namespace Pipeline.Media;

/// <summary>
/// A media operation failed. <see cref="Exception.Message"/> is one line meant for the end user
/// (which file, what is wrong, what to do); <see cref="ToolOutput"/> keeps ffmpeg's own words for the logs.
/// </summary>
public sealed class MediaException : Exception
{
    public MediaException(MediaErrorKind kind, string message, string? filePath = null, string? toolOutput = null, Exception? innerException = null)
        : base(OneLine(message), innerException)
    {
        Kind = kind;
        FilePath = filePath;
        ToolOutput = toolOutput;
    }

    public MediaErrorKind Kind { get; }

    public string? FilePath { get; }

    /// <summary>The last lines ffmpeg/ffprobe wrote to stderr, when a tool was involved.</summary>
    public string? ToolOutput { get; }

    internal static string OneLine(string text)
    {
        var flat = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return flat.Length <= 400 ? flat : string.Concat(flat.AsSpan(0, 397), "...");
    }
}
