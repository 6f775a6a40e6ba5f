using System.Globalization;

namespace Pipeline.Media;

/// <summary>An exact ratio as ffmpeg writes it ("30000/1001"); frame rates stay exact so frame clocks do not drift.</summary>
public readonly record struct Rational(int Numerator, int Denominator)
{
    public double Value => Denominator == 0 ? 0 : (double)Numerator / Denominator;

    /// <summary>False for ffmpeg's "0/0" (unknown) and anything non-positive.</summary>
    public bool IsValid => Numerator > 0 && Denominator > 0;

    public static Rational Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a ratio like 30000/1001.");

    public static bool TryParse(string? text, out Rational value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var slash = span.IndexOfAny('/', ':');
        if (slash < 0)
        {
            if (int.TryParse(span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
            {
                value = new Rational(whole, 1);
                return true;
            }

            return false;
        }

        if (int.TryParse(span[..slash], NumberStyles.Integer, CultureInfo.InvariantCulture, out var num)
            && int.TryParse(span[(slash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var den))
        {
            value = new Rational(num, den);
            return true;
        }

        return false;
    }

    /// <summary>The form ffmpeg accepts on its command line.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");
}
