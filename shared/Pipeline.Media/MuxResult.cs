namespace Pipeline.Media;

/// <param name="DurationSeconds">The output's duration as ffprobe reads it back.</param>
/// <param name="VideoStreamCopied">True when the video packets were copied unchanged (no re-encode).</param>
/// <param name="CommandLines">Every ffmpeg command run, in order, for the job log.</param>
/// <param name="Output">The output's probe, read back once the mux finished (its duration is <paramref name="DurationSeconds"/>).</param>
public sealed record MuxResult(double DurationSeconds, bool VideoStreamCopied, IReadOnlyList<string> CommandLines, MediaInfo Output);
