namespace Pipeline.Media;

internal static class OutputFile
{
    /// <summary>Full path of an output, its folder created; fails as OutputNotWritable before ffmpeg runs.</summary>
    public static string Prepare(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw MediaErrors.OutputNotWritable(null, "no output path was given");
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw MediaErrors.OutputNotWritable(full, "a folder has that name");
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw MediaErrors.OutputNotWritable(full, e.Message, inner: e);
        }

        return full;
    }
}
