using System.Globalization;

namespace Pipeline.Media;

/// <summary>Reads the position out of ffmpeg's stats line ("frame=.. time=00:01:02.50 ..") or a -progress "out_time=" line.</summary>
public static class FfmpegProgressParser
{
    public static bool TryParseTime(ReadOnlySpan<char> line, out TimeSpan time)
    {
        time = default;
        var at = FindTimeKey(line);
        if (at < 0)
        {
            return false;
        }

        var value = line[at..].TrimStart(' ');
        var end = value.IndexOfAny(' ', '\t');
        if (end >= 0)
        {
            value = value[..end];
        }

        return TryParseClock(value, out time);
    }

    /// <summary>True for the periodic stats line, which callers keep out of error tails.</summary>
    public static bool IsStatsLine(ReadOnlySpan<char> line)
    {
        var trimmed = line.TrimStart();
        return (trimmed.StartsWith("frame=", StringComparison.Ordinal) || trimmed.StartsWith("size=", StringComparison.Ordinal))
            && trimmed.Contains("time=", StringComparison.Ordinal);
    }

    /// <summary>Index just after "time=" when it is a key of its own (start of line, after a space, or "out_time=").</summary>
    private static int FindTimeKey(ReadOnlySpan<char> line)
    {
        const string key = "time=";
        var offset = 0;
        while (offset < line.Length)
        {
            var hit = line[offset..].IndexOf(key, StringComparison.Ordinal);
            if (hit < 0)
            {
                return -1;
            }

            var start = offset + hit;
            if (start == 0 || line[start - 1] == ' ' || line[start - 1] == '\t'
                || (start == 4 && line[..4].SequenceEqual("out_")))
            {
                return start + key.Length;
            }

            offset = start + key.Length;
        }

        return -1;
    }

    /// <summary>[-]HH:MM:SS[.frac]; "N/A" (no timestamp yet) is not a time.</summary>
    private static bool TryParseClock(ReadOnlySpan<char> text, out TimeSpan time)
    {
        time = default;
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var firstColon = text.IndexOf(':');
        if (firstColon <= 0)
        {
            return false;
        }

        var rest = text[(firstColon + 1)..];
        var secondColon = rest.IndexOf(':');
        if (secondColon <= 0)
        {
            return false;
        }

        if (!long.TryParse(text[..firstColon], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(rest[..secondColon], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || !double.TryParse(rest[(secondColon + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || minutes >= 60 || seconds >= 61)
        {
            return false;
        }

        var total = (hours * 3600) + (minutes * 60) + seconds;
        time = TimeSpan.FromSeconds(negative ? -total : total);
        return true;
    }
}
