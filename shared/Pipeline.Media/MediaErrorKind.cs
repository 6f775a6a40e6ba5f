namespace Pipeline.Media;

public enum MediaErrorKind
{
    NotFound,
    Empty,
    NotMedia,
    NoVideoStream,
    NoAudioStream,
    Unsupported,
    OutputNotWritable,
    ToolMissing,
    Timeout,
    Cancelled,
    ProcessFailed,
}
