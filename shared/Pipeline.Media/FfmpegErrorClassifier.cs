using System.Text.RegularExpressions;

namespace Pipeline.Media;

/// <summary>Turns the tail of ffmpeg/ffprobe stderr into a <see cref="MediaErrorKind"/> (pure; tested on captured output).</summary>
public static partial class FfmpegErrorClassifier
{
    public static MediaErrorKind Classify(string stderrTail) => Explain(stderrTail).Kind;

    public static FfmpegError Explain(string stderrTail)
    {
        ArgumentNullException.ThrowIfNull(stderrTail);
        var lines = stderrTail
            .Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !FfmpegProgressParser.IsStatsLine(l))
            .Select(StripContext)
            .ToArray();

        // Index of the first "Input #n"/"Output #n" header: an open error after it is about an output.
        var firstHeader = Array.FindIndex(lines, l => l.StartsWith("Input #", StringComparison.Ordinal) || l.StartsWith("Output #", StringComparison.Ordinal));

        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i];
            if (Contains(line, "Immediate exit requested") || Contains(line, "Exiting normally, received signal"))
            {
                return new FfmpegError(MediaErrorKind.Cancelled, null, line);
            }

            if (Contains(line, "No space left on device") || Contains(line, "Read-only file system") || Contains(line, "Error opening output file"))
            {
                return new FfmpegError(MediaErrorKind.OutputNotWritable, PathBefore(line), ReasonOf(line));
            }
        }

        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i];
            var open = OpenFailure().Match(line);
            if (open.Success)
            {
                var path = open.Groups["path"].Value;
                var reason = open.Groups["reason"].Value;
                var aboutOutput = firstHeader >= 0 && i > firstHeader;
                if (reason is "Invalid data found when processing input" or "End of file")
                {
                    return new FfmpegError(MediaErrorKind.NotMedia, path, reason);
                }

                return new FfmpegError(aboutOutput ? MediaErrorKind.OutputNotWritable : MediaErrorKind.NotFound, path, reason);
            }
        }

        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i];
            var map = MapMatchesNothing().Match(line);
            if (map.Success)
            {
                var spec = map.Groups["spec"].Value;
                var kind = spec.Contains(":v", StringComparison.Ordinal) || spec.StartsWith("v", StringComparison.Ordinal) ? MediaErrorKind.NoVideoStream
                    : spec.Contains(":a", StringComparison.Ordinal) || spec.StartsWith("a", StringComparison.Ordinal) ? MediaErrorKind.NoAudioStream
                    : FromInputStreams(lines);
                return new FfmpegError(kind, null, line);
            }

            if (Contains(line, "does not contain any stream"))
            {
                return new FfmpegError(FromInputStreams(lines), null, line);
            }

            if (Contains(line, "moov atom not found") || Contains(line, "Invalid data found when processing input"))
            {
                return new FfmpegError(MediaErrorKind.NotMedia, null, ReasonOf(line));
            }

            if (UnsupportedMarkers.Any(m => Contains(line, m)))
            {
                return new FfmpegError(MediaErrorKind.Unsupported, null, line);
            }
        }

        var last = lines.LastOrDefault(l => !IsNoise(l));
        return new FfmpegError(MediaErrorKind.ProcessFailed, null, last);
    }

    private static readonly string[] UnsupportedMarkers =
    [
        "Unknown encoder",
        "Encoder not found",
        "Unknown decoder",
        "Decoder not found",
        "not currently supported in container",
        "Could not find tag for codec",
        "Unable to find a suitable output format",
        "is not a suitable output format",
        "Unrecognized option",
        "Unknown input format",
    ];

    /// <summary>Which stream kinds the input headers list, for "no stream" errors that do not say which.</summary>
    private static MediaErrorKind FromInputStreams(string[] lines)
    {
        var video = lines.Any(l => l.StartsWith("Stream #", StringComparison.Ordinal) && l.Contains(": Video:", StringComparison.Ordinal) && !l.Contains("(attached pic)", StringComparison.Ordinal));
        var audio = lines.Any(l => l.StartsWith("Stream #", StringComparison.Ordinal) && l.Contains(": Audio:", StringComparison.Ordinal));
        return (video, audio) switch
        {
            (false, true) => MediaErrorKind.NoVideoStream,
            (true, false) => MediaErrorKind.NoAudioStream,
            _ => MediaErrorKind.NotMedia,
        };
    }

    private static bool IsNoise(string line) =>
        line is "Conversion failed!" || line.StartsWith("To ignore this", StringComparison.Ordinal);

    private static bool Contains(string line, string marker) => line.Contains(marker, StringComparison.OrdinalIgnoreCase);

    /// <summary>Drops the "[mov,mp4,... @ 0x55...] " context ffmpeg puts before library messages.</summary>
    private static string StripContext(string line)
    {
        while (line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is var end and > 0)
        {
            line = line[(end + 2)..];
        }

        return line;
    }

    private static string? PathBefore(string line)
    {
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && (line[0] == '/' || line.StartsWith("file:", StringComparison.Ordinal)) ? line[..colon] : null;
    }

    private static string ReasonOf(string line)
    {
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && line[0] == '/' ? line[(colon + 2)..] : line;
    }

    [GeneratedRegex(@"^(?<path>.+): (?<reason>No such file or directory|Permission denied|Is a directory|Invalid data found when processing input|End of file)$")]
    private static partial Regex OpenFailure();

    [GeneratedRegex(@"Stream map '(?<spec>[^']*)' matches no streams")]
    private static partial Regex MapMatchesNothing();
}
