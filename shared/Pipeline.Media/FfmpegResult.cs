namespace Pipeline.Media;

public sealed record FfmpegResult(int ExitCode, string CommandLine, string StderrTail, TimeSpan Elapsed);
