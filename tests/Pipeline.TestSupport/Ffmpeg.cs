namespace Pipeline.TestSupport;

/// <summary>Runs ffmpeg/ffprobe directly to make fixtures and to check outputs independently of the code under test.</summary>
public static class Ffmpeg
{
    public static string Run(params string[] args) => Tool.Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args]);

    public static string Probe(params string[] args) => Tool.Run("ffprobe", ["-hide_banner", "-loglevel", "error", .. args]);

    public static double Duration(string path, string? stream = null)
    {
        var args = stream is null
            ? new[] { "-show_entries", "format=duration", "-of", "csv=p=0", path }
            : ["-select_streams", stream, "-show_entries", "stream=duration", "-of", "csv=p=0", path];
        var text = Probe(args).Trim().Split('\n')[0];
        return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
