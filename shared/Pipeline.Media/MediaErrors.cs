namespace Pipeline.Media;

/// <summary>
/// The wording of every <see cref="MediaException"/>, kept in one place so users read the same
/// "which file, what is wrong, what to do" shape whatever stage failed.
/// </summary>
internal static class MediaErrors
{
    public static MediaException NotFound(string? path, string? detail = null, string? toolOutput = null) => new(
        MediaErrorKind.NotFound,
        $"{Name(path)} was not found or cannot be opened{Detail(detail)}; check the path and that the file was uploaded.",
        path,
        toolOutput);

    public static MediaException Empty(string path) => new(
        MediaErrorKind.Empty,
        $"{Name(path)} is empty (0 bytes); the upload or copy probably failed, so send the file again.",
        path);

    public static MediaException NotMedia(string? path, string? detail = null, string? toolOutput = null) => new(
        MediaErrorKind.NotMedia,
        $"{Name(path)} is not an audio, video or image file that ffmpeg can read{Detail(detail)}; "
            + "check that it is complete and not corrupt, or export it again as MP4, MOV, MKV, WAV, MP3, PNG or JPG.",
        path,
        toolOutput);

    public static MediaException NoVideoStream(string? path, string? toolOutput = null) => new(
        MediaErrorKind.NoVideoStream,
        $"{Name(path)} has no video stream (only audio or cover art); give a video (MP4, MOV, MKV) or a picture (PNG, JPG) here.",
        path,
        toolOutput);

    public static MediaException NoAudioStream(string? path, string? toolOutput = null) => new(
        MediaErrorKind.NoAudioStream,
        $"{Name(path)} has no audio stream; give an audio file (WAV, MP3, M4A, FLAC) or a video with sound here.",
        path,
        toolOutput);

    public static MediaException Unsupported(string? path, string what, string? toolOutput = null) => new(
        MediaErrorKind.Unsupported,
        path is null ? $"{what}." : $"{Name(path)}: {what}.",
        path,
        toolOutput);

    public static MediaException OutputNotWritable(string? path, string? detail = null, string? toolOutput = null, Exception? inner = null) => new(
        MediaErrorKind.OutputNotWritable,
        $"Cannot write the output{(path is null ? string.Empty : " " + Name(path))}{Detail(detail)}; check that the folder exists, is writable and has free space.",
        path,
        toolOutput,
        inner);

    public static MediaException ToolMissing(string tool, string configuredPath, string setting, Exception? inner = null) => new(
        MediaErrorKind.ToolMissing,
        $"{tool} was not found (tried '{configuredPath}'); install it (apt-get install ffmpeg) or set {setting} to its full path.",
        null,
        null,
        inner);

    public static MediaException Timeout(string tool, TimeSpan limit, string? path, string? toolOutput) => new(
        MediaErrorKind.Timeout,
        $"{tool} did not finish within {limit}{(path is null ? string.Empty : $" on {Name(path)}")}; "
            + "the input may be too long or damaged, or raise the Media timeout setting.",
        path,
        toolOutput);

    public static MediaException Cancelled(string tool, string? path = null) => new(
        MediaErrorKind.Cancelled,
        $"{tool} was stopped because the operation was cancelled{(path is null ? string.Empty : $" ({Name(path)})")}.",
        path);

    public static MediaException ProcessFailed(string tool, string? path, string? reason, string? toolOutput) => new(
        MediaErrorKind.ProcessFailed,
        $"{tool} failed{(path is null ? string.Empty : $" on {Name(path)}")}{Detail(reason)}; "
            + "the file may be damaged or use a feature ffmpeg cannot handle, see the log for ffmpeg's full output.",
        path,
        toolOutput);

    /// <summary>Users know their files by name; the full path stays in <see cref="MediaException.FilePath"/>.</summary>
    private static string Name(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "The input";
        }

        var name = Path.GetFileName(path.TrimEnd('/', '\\'));
        return $"'{(string.IsNullOrEmpty(name) ? path : name)}'";
    }

    private static string Detail(string? detail) => string.IsNullOrWhiteSpace(detail) ? string.Empty : $" ({detail.Trim()})";
}
