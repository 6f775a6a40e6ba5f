using System.Globalization;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Api.Batches;

/// <summary>
/// Job options written as text, in the CLI's syntax (see services/Cli/Commands/*Argument.cs): the same words work
/// in a manifest cell as on the command line.
/// </summary>
public static class OptionText
{
    /// <summary><c>label[:intensity]</c> or <c>from-audio</c>; null when it is neither.</summary>
    public static EmotionSpec? Emotion(string text)
    {
        if (text.Equals("from-audio", StringComparison.OrdinalIgnoreCase))
        {
            return new EmotionSpec(EmotionSource.FromAudio, []);
        }

        var parts = text.Split(':');
        var intensity = 1.0;
        if (parts.Length > 2 || !Label(parts[0], out var label)
            || (parts.Length == 2 && (Intensity(parts[1]) is not { } given || (intensity = given) < 0)))
        {
            return null;
        }

        return EmotionSpec.Constant(label, label == EmotionLabel.Neutral ? 0 : intensity);
    }

    /// <summary>A number from 0 to 1, or null.</summary>
    public static double? Intensity(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 1 ? v : null;

    /// <summary><c>largest</c>, <c>index:N</c>, <c>box:X,Y,W,H[@SECONDS]</c> or <c>all</c>; null when it is none.</summary>
    public static FaceSelection? Face(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var inv = CultureInfo.InvariantCulture;
        if (t is "largest")
        {
            return FaceSelection.Largest;
        }

        if (t == "all")
        {
            return new FaceSelection(FaceSelectionKind.All);
        }

        if (t.StartsWith("index:", StringComparison.Ordinal) && int.TryParse(t[6..], NumberStyles.None, inv, out var n))
        {
            return new FaceSelection(FaceSelectionKind.Index, Index: n);
        }

        if (!t.StartsWith("box:", StringComparison.Ordinal))
        {
            return null;
        }

        var body = t[4..];
        double at = 0;
        var atSign = body.IndexOf('@', StringComparison.Ordinal);
        if (atSign >= 0 && !double.TryParse(body[(atSign + 1)..], NumberStyles.Float, inv, out at))
        {
            return null;
        }

        var parts = (atSign >= 0 ? body[..atSign] : body).Split(',');
        var v = parts.Select(p => int.TryParse(p, NumberStyles.None, inv, out var x) ? x : -1).ToArray();
        return v.Length == 4 && v.All(x => x >= 0) && v[2] > 0 && v[3] > 0
            ? new FaceSelection(FaceSelectionKind.Box, Box: new BoundingBox(v[0], v[1], v[2], v[3]), AtSeconds: at)
            : null;
    }

    /// <summary>An enum member by name (any case), never by number.</summary>
    public static bool Named<T>(string text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !text.Trim().All(char.IsAsciiDigit);

    public static string Names<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));

    private static bool Label(string text, out EmotionLabel label) => Named(text, out label);
}
