using System.Globalization;

namespace Pipeline.Media;

/// <summary>Numbers as ffmpeg's command line reads them: invariant culture, no exponent.</summary>
internal static class FfmpegNumber
{
    public static string Seconds(double seconds) => seconds.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
