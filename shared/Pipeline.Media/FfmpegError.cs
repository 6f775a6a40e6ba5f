namespace Pipeline.Media;

/// <summary>What ffmpeg's stderr says went wrong: the kind, the file it names (if any) and its own short reason.</summary>
public sealed record FfmpegError(MediaErrorKind Kind, string? FilePath, string? Reason);
