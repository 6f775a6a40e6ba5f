namespace Pipeline.Media.Tests;

/// <summary>Real ffprobe/ffmpeg output recorded once from the testdata files (see Captured/README.md).</summary>
internal static class Captured
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Captured", name));
}
