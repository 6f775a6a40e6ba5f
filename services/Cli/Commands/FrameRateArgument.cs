using System.Globalization;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Parses a frame rate as users write it: "25", "30000/1001", or the NTSC decimals "23.976", "29.97" and "59.94",
/// which mean 24000/1001, 30000/1001 and 60000/1001 exactly (a decimal would drift a frame every ~17 minutes).
/// </summary>
public static class FrameRateArgument
{
    public static bool TryParse(string? text, out int numerator, out int denominator)
    {
        (numerator, denominator) = (0, 1);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/');
        if (slash > 0)
        {
            return int.TryParse(text[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out numerator)
                && int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out denominator)
                && numerator is > 0 and <= 1000 * 1001 && denominator > 0 && (double)numerator / denominator <= 1000;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > 1000)
        {
            return false;
        }

        foreach (var ntsc in new[] { 24, 30, 48, 60, 120 })
        {
            if (Math.Abs(value - (ntsc * 1000.0 / 1001)) < 0.006)
            {
                (numerator, denominator) = (ntsc * 1000, 1001);
                return true;
            }
        }

        if (Math.Abs(value - Math.Round(value)) < 1e-9)
        {
            (numerator, denominator) = ((int)Math.Round(value), 1);
            return true;
        }

        (numerator, denominator) = ((int)Math.Round(value * 1000), 1000);
        return true;
    }
}
