namespace Pipeline.Encoding.Content;

/// <summary>
/// Recognises one window and restarts the recogniser where it collapsed (<see cref="PhoneCollapse"/>). A collapse is
/// not random: a run that hears the audio before it collapses at the same point again (en_radio31 from 0, 0.5, 1 and
/// 2 s: "W" from 2.34 s to the end each time), while a run started at the collapse gets past it. So a restart starts
/// at the collapse, with the front end's noise removal switched the other way (each setting collapses on tracks the
/// other reads: on, en_radio31 and retalk_5; off, eamm_00015 and zh_news), and its phones replace the collapsed span.
/// Without this, the rest of the window (up to <see cref="ContentEncoderOptions.ChunkSeconds"/>) fell back to
/// HeadAudio, which finds few closures (Content/EVIDENCE.md): 120 s of looped en_radio31 took 2418 of its 3000
/// frames from it, and none with the restarts.
/// </summary>
public static class CollapseRecovery
{
    /// <summary>Restarts per window at most; each must get past the collapse it started at, or the loop stops.</summary>
    public const int MaxRestarts = 8;

    /// <summary>One recogniser run over samples (the window's, from an offset); phone times relative to the first sample.</summary>
    public delegate Task<IReadOnlyList<TimedPhone>> Recognize(ReadOnlyMemory<float> samples, bool removeNoise, CancellationToken ct);

    /// <param name="samples">The window's samples, lead-in included.</param>
    /// <param name="origin">The time of the first sample, in seconds on the clip's clock.</param>
    /// <returns>The phones on the clip's clock, and how many restarts it took.</returns>
    public static async Task<(IReadOnlyList<TimedPhone> Phones, int Restarts)> RecognizeAsync(
        Recognize recognize, ReadOnlyMemory<float> samples, int sampleRate, double origin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(recognize);
        var removeNoise = true;
        var phones = Shift(await recognize(samples, removeNoise, ct).ConfigureAwait(false), origin);
        var restarts = 0;
        var lastCollapse = double.NegativeInfinity;
        while (restarts < MaxRestarts)
        {
            var collapse = PhoneCollapse.Find(phones).Where(p => p.StartSeconds > lastCollapse).Select(p => (TimedPhone?)p).FirstOrDefault();
            if (collapse is not { } c)
            {
                break;
            }

            lastCollapse = c.StartSeconds;
            removeNoise = !removeNoise;
            var offset = Math.Clamp((int)Math.Round((c.StartSeconds - origin) * sampleRate), 0, samples.Length);
            if (samples.Length - offset < sampleRate / 10)
            {
                break; // under 0.1 s left: nothing a restart could recognise
            }

            var from = origin + (offset / (double)sampleRate);
            var rerun = Shift(await recognize(samples[offset..], removeNoise, ct).ConfigureAwait(false), from);
            restarts++;
            phones = Splice(phones, rerun, c.StartSeconds);
        }

        return (phones, restarts);
    }

    /// <summary>The phones that end by <paramref name="at"/>, then the restart's phones from there on (the first clipped to start there).</summary>
    public static List<TimedPhone> Splice(IReadOnlyList<TimedPhone> before, IReadOnlyList<TimedPhone> after, double at)
    {
        var spliced = before.Where(p => p.EndSeconds <= at).ToList();
        spliced.AddRange(after.Where(p => p.EndSeconds > at).Select(p => p.StartSeconds < at ? p with { StartSeconds = at } : p));
        return spliced;
    }

    private static List<TimedPhone> Shift(IReadOnlyList<TimedPhone> phones, double by) =>
        phones.Select(p => p with { StartSeconds = p.StartSeconds + by, EndSeconds = p.EndSeconds + by }).ToList();
}
