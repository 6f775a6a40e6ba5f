using System.Globalization;
using System.Text;

namespace Pipeline.Media;

/// <summary>
/// Writes lists for ffmpeg's concat demuxer. Paths are absolute and single-quoted with ffmpeg's own
/// escaping, so quotes, spaces and '#' in names cannot break out of the entry.
/// </summary>
internal static class ConcatList
{
    public static async Task WriteAsync(string listPath, IEnumerable<(string Path, double? Duration)> entries, CancellationToken ct)
    {
        var text = new StringBuilder("ffconcat version 1.0\n");
        foreach (var (path, duration) in entries)
        {
            text.Append("file ").Append(Quote(path)).Append('\n');
            if (duration is { } d)
            {
                text.Append("duration ").Append(d.ToString("0.#########", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        await File.WriteAllTextAsync(listPath, text.ToString(), new UTF8Encoding(false), ct).ConfigureAwait(false);
    }

    internal static string Quote(string path)
    {
        var full = Path.GetFullPath(path);
        if (full.Contains('\n') || full.Contains('\r'))
        {
            throw MediaErrors.Unsupported(path, "file names with line breaks cannot be joined; rename the file");
        }

        // Inside '...' nothing is special except the quote itself, written as '\'' (close, escaped quote, reopen).
        return "'" + full.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
