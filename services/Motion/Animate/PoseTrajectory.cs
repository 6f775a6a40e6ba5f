namespace Pipeline.Motion.Animate;

/// <summary>
/// A seeded head-pose trajectory for animate mode: SadTalker's PoseVAE idea (pose is a smooth random process whose
/// style is chosen and whose strength follows the speech) without a learnt model.
/// </summary>
/// <remarks>
/// Each channel is a sum of <see cref="Components"/> sinusoids with random phases and frequencies, one frequency drawn
/// from each equal slice of the style's band on a log scale, so the spectrum is spread over the band and never
/// collapses onto one beat. Lower frequencies get larger amplitudes (1/√f, the gently falling spectrum of natural head
/// motion), and the amplitudes are normalised so the channel's standard deviation is exactly the style's σ; a seed
/// therefore changes the shape of the motion, not its size. The result is band-limited, hence smooth: the head
/// never turns faster than the band's top frequency allows.
/// <para>
/// Each channel starts at the calmest moment (nearest zero, value and slope together) of the first
/// <see cref="StartSearchSeconds"/> of its own motion, and every channel is multiplied by one envelope: a smoothstep
/// from 0 to 1 over the first <see cref="EaseInSeconds"/> (so a clip starts from a frontal, centred face, and eases
/// into motion without a lurch), times 1 + gain × speech activity (see
/// <see cref="SpeechEnergy.Activity"/>), so the style's σ holds in silence and rises to (1 + gain) σ in sustained
/// speech. On top of that, each strong syllable onset adds a small downward nod to pitch (a Hann pulse of
/// <see cref="NodSeconds"/> centred on the onset, at most <see cref="NodFraction"/> × gain × pitch σ: 0.6° for
/// <see cref="PoseStyle.Neutral"/>), no more often than every <see cref="MinNodGapSeconds"/>: beat gestures of the
/// head that land on stressed syllables. Kept small on purpose: a nod on every syllable looks like a twitch.
/// </para>
/// <para>
/// The channels are independent: yaw, pitch and roll (degrees), the sway tx, ty (inter-ocular units) and the scale
/// factor, whose deviation is the sway over <see cref="DepthSwayRatio"/> (the same drift in mm towards the camera,
/// seen from about six inter-ocular distances away).
/// </para>
/// </remarks>
public static class PoseTrajectory
{
    /// <summary>Floats per frame: yaw, pitch, roll (degrees), tx, ty (inter-ocular units), scale (≈1).</summary>
    public const int Channels = 6;

    public const int Yaw = 0;
    public const int Pitch = 1;
    public const int Roll = 2;
    public const int TranslationX = 3;
    public const int TranslationY = 4;
    public const int Scale = 5;

    /// <summary>Sinusoids per channel: enough that the sum does not look periodic, few enough to stay cheap.</summary>
    public const int Components = 6;

    /// <summary>Time over which the motion grows from nothing at the first frame.</summary>
    public const double EaseInSeconds = 0.5;

    /// <summary>Length of one nod (a Hann pulse centred on the syllable onset).</summary>
    public const double NodSeconds = 0.35;

    /// <summary>A full-strength nod is this fraction of gain × pitch σ.</summary>
    public const double NodFraction = 0.5;

    /// <summary>Nods closer than this would read as bobbing, not emphasis.</summary>
    public const double MinNodGapSeconds = 0.6;

    /// <summary>Sway σ over scale σ: see the remarks.</summary>
    public const double DepthSwayRatio = 6;

    /// <summary>How far into each channel's own motion the start may be moved to find a calm moment.</summary>
    public const double StartSearchSeconds = 20;

    // Keeps this generator's draws unrelated to the blink schedule's for the same seed.
    private const ulong Stream = 0x706F736554726A31UL;

    /// <summary>The trajectory, <c>[frames, 6]</c> row-major; the same arguments always give the same floats.</summary>
    /// <param name="frames">Number of video frames.</param>
    /// <param name="fps">Frame rate of the video.</param>
    /// <param name="style">Size, speed and speech sensitivity of the motion.</param>
    /// <param name="seed">The job's seed.</param>
    /// <param name="energyDbfs">Speech RMS energy per frame in dBFS (<c>[frames]</c>), or empty for no speech modulation.</param>
    public static float[] Generate(int frames, double fps, PoseStyle style, int seed, ReadOnlySpan<float> energyDbfs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (!(fps > 0 && double.IsFinite(fps)))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "the frame rate must be positive and finite");
        }

        ArgumentNullException.ThrowIfNull(style);
        style.Validate();
        if (!energyDbfs.IsEmpty && energyDbfs.Length != frames)
        {
            throw new ArgumentException($"energy has {energyDbfs.Length} frames, the trajectory {frames}", nameof(energyDbfs));
        }

        var result = new float[frames * Channels];
        if (frames == 0)
        {
            return result;
        }

        Span<double> sigma =
        [
            style.YawSigmaDegrees, style.PitchSigmaDegrees, style.RollSigmaDegrees,
            style.SwaySigma, style.SwaySigma, style.SwaySigma / DepthSwayRatio,
        ];
        Span<double> omega = stackalloc double[Channels * Components];
        Span<double> phase = stackalloc double[Channels * Components];
        Span<double> amplitude = stackalloc double[Channels * Components];
        var rng = new SplitMix64(seed, Stream);
        for (var c = 0; c < Channels; c++)
        {
            var at = c * Components;
            DrawComponents(ref rng, style, sigma[c], omega.Slice(at, Components), phase.Slice(at, Components), amplitude.Slice(at, Components));
        }

        var activity = energyDbfs.IsEmpty ? [] : new double[frames];
        if (!energyDbfs.IsEmpty)
        {
            SpeechEnergy.Activity(energyDbfs, fps, activity);
        }

        for (var f = 0; f < frames; f++)
        {
            var t = f / fps;
            var envelope = Easing.Smoothstep(t / EaseInSeconds) * (activity.Length == 0 ? 1.0 : 1.0 + style.EnergyGain * activity[f]);
            var row = result.AsSpan(f * Channels, Channels);
            for (var c = 0; c < Channels; c++)
            {
                double sum = 0;
                for (var k = c * Components; k < (c + 1) * Components; k++)
                {
                    sum += amplitude[k] * Math.Sin(omega[k] * t + phase[k]);
                }

                // Scale sways around 1, the rest around 0; added in double so the float keeps every digit.
                row[c] = (float)((c == Scale ? 1.0 : 0.0) + envelope * sum);
            }
        }

        if (!energyDbfs.IsEmpty)
        {
            AddNods(result, energyDbfs, fps, NodFraction * style.EnergyGain * style.PitchSigmaDegrees);
        }

        return result;
    }

    private static void DrawComponents(ref SplitMix64 rng, PoseStyle style, double sigma, Span<double> omega, Span<double> phase, Span<double> amplitude)
    {
        var logLow = Math.Log(style.BandLowHz);
        var logSpan = Math.Log(style.BandHighHz) - logLow;
        double power = 0;
        for (var k = 0; k < Components; k++)
        {
            var hz = Math.Exp(logLow + logSpan * (k + 0.25 + 0.5 * rng.NextDouble()) / Components);
            omega[k] = 2 * Math.PI * hz;
            phase[k] = 2 * Math.PI * rng.NextDouble();
            amplitude[k] = Math.Sqrt(style.BandLowHz / hz) * (0.75 + 0.5 * rng.NextDouble());
            power += amplitude[k] * amplitude[k];
        }

        // A sinusoid of amplitude a has variance a²/2, and sinusoids of different frequencies add their variances.
        var norm = sigma * Math.Sqrt(2 / power);
        for (var k = 0; k < Components; k++)
        {
            amplitude[k] *= norm;
        }

        StartAtRest(style, omega, phase, amplitude);
    }

    /// <summary>
    /// Shifts the channel in time so it starts at the calmest moment of its first <see cref="StartSearchSeconds"/>:
    /// the one nearest rest, value and slope together. The ease-in can then bring the head in without a lurch; easing
    /// in from wherever the random phases happen to put the channel would have to cover up to 2.5 σ in half a second.
    /// </summary>
    private static void StartAtRest(PoseStyle style, ReadOnlySpan<double> omega, Span<double> phase, ReadOnlySpan<double> amplitude)
    {
        // Slope is measured in the band's mid period, so value and slope weigh about the same.
        var midOmega = 2 * Math.PI * Math.Sqrt(style.BandLowHz * style.BandHighHz);
        var step = 0.02 / style.BandHighHz;
        var steps = (int)(StartSearchSeconds / step);
        double best = double.PositiveInfinity, bestTime = 0;
        for (var i = 0; i < steps; i++)
        {
            var t = i * step;
            double value = 0, slope = 0;
            for (var k = 0; k < omega.Length; k++)
            {
                value += amplitude[k] * Math.Sin(omega[k] * t + phase[k]);
                slope += amplitude[k] * omega[k] * Math.Cos(omega[k] * t + phase[k]);
            }

            slope /= midOmega;
            var distance = value * value + slope * slope;
            if (distance < best)
            {
                best = distance;
                bestTime = t;
            }
        }

        for (var k = 0; k < omega.Length; k++)
        {
            phase[k] = (phase[k] + omega[k] * bestTime) % (2 * Math.PI);
        }
    }

    private static void AddNods(Span<float> trajectory, ReadOnlySpan<float> energyDbfs, double fps, double nodDegrees)
    {
        if (nodDegrees <= 0)
        {
            return;
        }

        var frames = energyDbfs.Length;
        var lag = Math.Max(1, (int)Math.Round(SpeechEnergy.OnsetLagSeconds * fps));
        var gap = Math.Max(1, (int)Math.Ceiling(MinNodGapSeconds * fps));
        var half = 0.5 * NodSeconds * fps;
        var reach = (int)Math.Floor(half);
        var from = 0;
        int onset;
        while ((onset = SpeechEnergy.NextOnset(energyDbfs, from, lag, out var strength)) >= 0)
        {
            var peak = nodDegrees * strength;
            for (var f = Math.Max(0, onset - reach); f <= Math.Min(frames - 1, onset + reach); f++)
            {
                // Hann pulse: zero slope at both ends, so the nod blends into the trajectory.
                trajectory[f * Channels + Pitch] += (float)(peak * 0.5 * (1 + Math.Cos(Math.PI * (f - onset) / half)));
            }

            from = onset + gap;
        }
    }
}
