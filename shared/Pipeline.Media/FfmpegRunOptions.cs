namespace Pipeline.Media;

/// <param name="Timeout">Overrides <see cref="MediaToolOptions.ProcessTimeout"/> for this run.</param>
/// <param name="TotalSeconds">Expected output length; with <paramref name="Progress"/> turns "time=" into a 0..1 fraction.</param>
/// <param name="FilePath">The file users know this run by, named in error messages when ffmpeg names none.</param>
public sealed record FfmpegRunOptions(
    TimeSpan? Timeout = null,
    double? TotalSeconds = null,
    IProgress<double>? Progress = null,
    string? FilePath = null);
