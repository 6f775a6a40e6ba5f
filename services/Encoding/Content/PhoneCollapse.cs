namespace Pipeline.Encoding.Content;

/// <summary>
/// PocketSphinx's all-phone decoder sometimes gives up mid-utterance and reports one phone for seconds (seen on
/// testdata en_radio31.wav: "W" from 2.34 s to 7.98 s). No speech sound lasts that long, so such spans are known
/// to be wrong; their frames are taken from HeadAudio, which classifies each 10 ms hop on its own.
/// </summary>
public static class PhoneCollapse
{
    /// <summary>Longer than any real phone, even a drawn-out vowel, shorter than any collapse seen.</summary>
    public const double DefaultMaxPhoneSeconds = 0.6;

    public static IReadOnlyList<TimedPhone> Find(IReadOnlyList<TimedPhone> phones, double maxPhoneSeconds = DefaultMaxPhoneSeconds) =>
        phones.Where(p => !IsSilence(p.Phone) && p.EndSeconds - p.StartSeconds > maxPhoneSeconds).ToList();

    /// <summary>Copies <paramref name="fallback"/>'s rows into <paramref name="target"/> for frames centred in a collapsed span.</summary>
    /// <returns>How many frames were replaced.</returns>
    public static int Repair(VisemePosteriors target, VisemePosteriors fallback, IReadOnlyList<TimedPhone> collapsed)
    {
        var replaced = 0;
        foreach (var span in collapsed)
        {
            var first = (long)Math.Max(target.FirstFrame, Math.Ceiling((span.StartSeconds * target.Clock.Fps) - 0.5));
            var last = (long)Math.Min(target.FirstFrame + target.Frames - 1, Math.Floor((span.EndSeconds * target.Clock.Fps) - 0.5));
            for (var f = first; f <= last; f++)
            {
                fallback.Row(f).CopyTo(target.Row(f));
                replaced++;
            }
        }

        return replaced;
    }

    private static bool IsSilence(string phone) =>
        phone.Equals("SIL", StringComparison.OrdinalIgnoreCase) || phone.StartsWith('+') || phone.StartsWith("<", StringComparison.Ordinal);
}
