namespace Pipeline.Motion.Animate;

/// <summary>Seeded spontaneous blinks for animate mode, as eyelid closure per frame.</summary>
/// <remarks>
/// Onsets form a renewal process: each interval is a fixed refractory gap (<see cref="MinGapSeconds"/>; people
/// rarely blink twice within it) plus a gamma-distributed remainder (shape 2, so very short remainders are rare and
/// long pauses happen), scaled so the mean interval is 60 / blinksPerMinute. The coefficient of variation of the whole
/// interval is about 0.4 at 17 per minute; real spontaneous blinking is a little more irregular, but a fake face that
/// stares for 15 s looks worse than one that blinks a little too regularly.
/// <para>
/// Each blink closes in <see cref="CloseFraction"/> of its duration and opens more slowly over the rest (real lids
/// close in ~100 ms and reopen in ~150-200 ms), both halves smoothstep-shaped. Onsets and the closed instant fall on
/// whole frames, so every blink reaches exactly 1 however coarse the frame rate.
/// </para>
/// </remarks>
public static class BlinkSchedule
{
    public const double MinGapSeconds = 1.5;
    public const double CloseFraction = 0.4;
    private const double GammaShape = 2;

    // Keeps the blink draws unrelated to the pose trajectory's for the same seed.
    private const ulong Stream = 0x626C696E6B733031UL;

    /// <summary>Eyelid closure per frame, 0 (open) to 1 (closed); the same arguments always give the same floats.</summary>
    /// <param name="frames">Number of video frames.</param>
    /// <param name="fps">Frame rate of the video.</param>
    /// <param name="seed">The job's seed.</param>
    /// <param name="blinksPerMinute">Mean blink rate; 0 for none. Adults average 15-20 per minute in conversation.</param>
    /// <param name="durationSeconds">Length of one blink from the lid starting to move to fully open again.</param>
    /// <remarks>
    /// At rates above 40 per minute the mean interval is shorter than <see cref="MinGapSeconds"/>, so the refractory
    /// gap shrinks to half the mean interval (never below one blink's duration) to keep the requested rate.
    /// </remarks>
    public static float[] Generate(int frames, double fps, int seed, double blinksPerMinute = 17, double durationSeconds = 0.25)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (!(fps > 0 && double.IsFinite(fps)))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "the frame rate must be positive and finite");
        }

        if (!(blinksPerMinute >= 0 && double.IsFinite(blinksPerMinute)))
        {
            throw new ArgumentOutOfRangeException(nameof(blinksPerMinute), blinksPerMinute, "the blink rate must be finite and non-negative");
        }

        if (!(durationSeconds > 0 && double.IsFinite(durationSeconds)))
        {
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "a blink must last a positive, finite time");
        }

        var closure = new float[frames];
        if (frames == 0 || blinksPerMinute == 0)
        {
            return closure;
        }

        var meanInterval = 60 / blinksPerMinute;
        var minGap = Math.Max(durationSeconds, Math.Min(MinGapSeconds, 0.5 * meanInterval));
        var gammaScale = Math.Max(0, meanInterval - minGap) / GammaShape;
        var minGapFrames = (int)Math.Ceiling(minGap * fps);

        // Whole frames from the onset to fully closed, and the (fractional) frames it then takes to open.
        var closeFrames = Math.Max(1, (int)Math.Round(CloseFraction * durationSeconds * fps));
        var openFrames = Math.Max(1.0, durationSeconds * fps - closeFrames);

        var rng = new SplitMix64(seed, Stream);
        // The first onset falls anywhere in a first interval, as if the process had been running before the clip.
        var time = rng.NextDouble() * (minGap + Gamma2(ref rng, gammaScale));
        var previous = int.MinValue / 2;
        while (true)
        {
            // Onsets are kept on the continuous clock (no rounding drift in the rate); the frame gap is enforced after
            // rounding so no two onsets are ever closer than the minimum.
            var onset = Math.Max((int)Math.Ceiling(time * fps), previous + minGapFrames);
            if (onset >= frames)
            {
                break;
            }

            AddBlink(closure, onset, closeFrames, openFrames);
            previous = onset;
            time += minGap + Gamma2(ref rng, gammaScale);
        }

        return closure;
    }

    private static void AddBlink(Span<float> closure, int onset, int closeFrames, double openFrames)
    {
        var end = Math.Min(closure.Length - 1, onset + closeFrames + (int)Math.Ceiling(openFrames));
        for (var f = onset; f <= end; f++)
        {
            var k = f - onset;
            var value = k <= closeFrames
                ? Easing.Smoothstep((double)k / closeFrames)
                : 1 - Easing.Smoothstep((k - closeFrames) / openFrames);
            // Max, not sum: if blinks ever touch (a very high rate), the lid cannot close more than fully.
            closure[f] = Math.Max(closure[f], (float)value);
        }
    }

    /// <summary>Gamma with shape 2: the sum of two exponentials.</summary>
    private static double Gamma2(ref SplitMix64 rng, double scale) =>
        -scale * Math.Log(rng.NextOpenDouble() * rng.NextOpenDouble());
}
