using System.CommandLine;
using System.Globalization;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Cli.Commands;

/// <summary><c>--emotion label[:intensity]</c>, or <c>--emotion from-audio</c>; neutral when absent.</summary>
public static class EmotionArgument
{
    public static Option<string?> Option()
    {
        var option = new Option<string?>("--emotion")
        {
            Description = "neutral|happy|sad|surprised|fearful|disgusted|angry|contempt[:intensity 0..1], or from-audio",
        };
        option.Validators.Add(r =>
        {
            if (TryParse(r.GetValueOrDefault<string?>(), out _) is false)
            {
                r.AddError("--emotion must be a label such as happy or happy:0.7 (labels: neutral, happy, sad, surprised, fearful, disgusted, angry, contempt), or from-audio");
            }
        });
        return option;
    }

    public static EmotionSpec Parse(string? text) =>
        TryParse(text, out var spec) ? spec : throw new CliException($"bad --emotion '{text}'", ExitCodes.Usage);

    public static bool TryParse(string? text, out EmotionSpec spec)
    {
        spec = EmotionSpec.Neutral;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (text.Equals("from-audio", StringComparison.OrdinalIgnoreCase))
        {
            spec = new EmotionSpec(EmotionSource.FromAudio, []);
            return true;
        }

        var parts = text.Split(':');
        var intensity = 1.0;
        if (parts.Length > 2
            || !Enum.TryParse<EmotionLabel>(parts[0], ignoreCase: true, out var label)
            || !Enum.IsDefined(label)
            || (parts.Length == 2 && (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out intensity) || intensity is < 0 or > 1)))
        {
            return false;
        }

        spec = EmotionSpec.Constant(label, label == EmotionLabel.Neutral ? 0 : intensity);
        return true;
    }
}
