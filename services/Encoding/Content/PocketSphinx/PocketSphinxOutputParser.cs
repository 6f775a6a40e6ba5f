using System.Globalization;

namespace Pipeline.Encoding.Content.PocketSphinx;

/// <summary>
/// Reads pocketsphinx_continuous -time yes output: per utterance a hypothesis line (the phones, space separated)
/// then one line per phone, <c>PHONE start end prob</c>, times absolute in seconds. The printed end is the start of
/// the phone's last 10 ms frame, so a phone covers [start, end + frame) — without that, consecutive phones would
/// leave 10 ms holes that read as silence.
/// </summary>
public static class PocketSphinxOutputParser
{
    /// <summary>PocketSphinx's default frame shift (-frate 100).</summary>
    public const double FrameSeconds = 0.01;

    public static IReadOnlyList<TimedPhone> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var phones = new List<TimedPhone>();
        foreach (var raw in output.AsSpan().EnumerateLines())
        {
            if (TryParseLine(raw.Trim(), out var phone))
            {
                phones.Add(phone);
            }
        }

        return phones;
    }

    internal static bool TryParseLine(ReadOnlySpan<char> line, out TimedPhone phone)
    {
        phone = default;
        Span<Range> parts = stackalloc Range[5];
        if (line.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries) != 4)
        {
            return false; // hypothesis lines have 1 or >= 5 fields; a 4-phone hypothesis fails the number parse below
        }

        var inv = CultureInfo.InvariantCulture;
        if (!double.TryParse(line[parts[1]], NumberStyles.Float, inv, out var start)
            || !double.TryParse(line[parts[2]], NumberStyles.Float, inv, out var end)
            || !double.TryParse(line[parts[3]], NumberStyles.Float, inv, out var prob)
            || end < start || start < 0)
        {
            return false;
        }

        phone = new TimedPhone(line[parts[0]].ToString(), start, end + FrameSeconds, prob);
        return true;
    }
}
