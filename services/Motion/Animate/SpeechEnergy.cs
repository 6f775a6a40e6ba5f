namespace Pipeline.Motion.Animate;

/// <summary>
/// What head motion reads from per-frame speech energy (RMS in dBFS on the video's frame clock): how much someone is
/// speaking, smoothed, and where strong syllables start.
/// </summary>
internal static class SpeechEnergy
{
    /// <summary>Below this a frame counts as silence: room tone and breaths, not voice.</summary>
    public const double SpeechFloorDbfs = -40;

    /// <summary>At and above this a frame counts as full speech; between the two, activity rises linearly.</summary>
    public const double FullSpeechDbfs = -30;

    /// <summary>
    /// Time constant of each of the two smoothing passes. Together they spread a step (speech starting) over about
    /// 0.4 s either side (10% to 90%): the motion swells with the phrase, not with each syllable.
    /// </summary>
    public const double SmoothingSeconds = 0.25;

    /// <summary>A syllable onset must raise the energy by this much within <see cref="OnsetLagSeconds"/>.</summary>
    public const double OnsetRiseDb = 10;

    /// <summary>A rise this large or larger gives a full-size nod; smaller ones scale down to half size at the threshold.</summary>
    public const double FullOnsetRiseDb = 20;

    public const double OnsetLagSeconds = 0.1;

    /// <summary>The onset must reach speech level, not just climb out of deep silence.</summary>
    public const double OnsetLevelDbfs = -35;

    /// <summary>Digital silence reads -inf dBFS; rises are measured from no lower than this.</summary>
    private const double FloorDbfs = -60;

    /// <summary>
    /// Speech activity per frame in [0, 1]: a ramp from <see cref="SpeechFloorDbfs"/> to <see cref="FullSpeechDbfs"/>,
    /// smoothed forward then backward with a one-pole filter (<see cref="SmoothingSeconds"/>), so it has no lag.
    /// </summary>
    public static void Activity(ReadOnlySpan<float> energyDbfs, double fps, Span<double> activity)
    {
        var n = energyDbfs.Length;
        for (var i = 0; i < n; i++)
        {
            double e = energyDbfs[i];
            // Written so NaN reads as silence too.
            activity[i] = e > SpeechFloorDbfs ? Math.Min(1.0, (e - SpeechFloorDbfs) / (FullSpeechDbfs - SpeechFloorDbfs)) : 0.0;
        }

        var alpha = 1 - Math.Exp(-1 / (SmoothingSeconds * fps));
        var y = activity[0];
        for (var i = 0; i < n; i++)
        {
            y += alpha * (activity[i] - y);
            activity[i] = y;
        }

        y = activity[n - 1];
        for (var i = n - 1; i >= 0; i--)
        {
            y += alpha * (activity[i] - y);
            activity[i] = y;
        }
    }

    /// <summary>
    /// The first strong syllable onset at or after <paramref name="from"/>: a frame at speech level
    /// (<see cref="OnsetLevelDbfs"/>) whose energy rose by <see cref="OnsetRiseDb"/> or more over the last
    /// <paramref name="lag"/> frames, where the frame before did not qualify (one onset per rise, however long it is).
    /// </summary>
    /// <returns>The onset frame, or -1 if there is none.</returns>
    /// <param name="strength">0.5 at the threshold rise, 1 at <see cref="FullOnsetRiseDb"/> and above.</param>
    public static int NextOnset(ReadOnlySpan<float> energyDbfs, int from, int lag, out double strength)
    {
        strength = 0;
        var start = Math.Max(from, lag);
        if (start >= energyDbfs.Length)
        {
            return -1;
        }

        var previous = start - 1 >= lag && Qualifies(energyDbfs, start - 1, lag, out _);
        for (var i = start; i < energyDbfs.Length; i++)
        {
            var qualifies = Qualifies(energyDbfs, i, lag, out var rise);
            if (qualifies && !previous)
            {
                strength = Math.Min(1.0, rise / FullOnsetRiseDb);
                return i;
            }

            previous = qualifies;
        }

        return -1;
    }

    private static bool Qualifies(ReadOnlySpan<float> e, int i, int lag, out double rise)
    {
        rise = Floor(e[i]) - Floor(e[i - lag]);
        return rise >= OnsetRiseDb && e[i] >= OnsetLevelDbfs;
    }

    private static double Floor(float dbfs) => dbfs > FloorDbfs ? dbfs : FloorDbfs;
}
