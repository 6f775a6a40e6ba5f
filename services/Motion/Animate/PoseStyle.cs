namespace Pipeline.Motion.Animate;

/// <summary>
/// How much and how fast an animated head moves: the statistics <see cref="PoseTrajectory"/> draws a trajectory from.
/// </summary>
/// <remarks>
/// The presets are set by hand from typical talking-head statistics, not fitted to any data set: front-facing
/// speakers in interview and presenter footage keep their head within a few degrees of frontal, turn (yaw) most, nod
/// (pitch) less and tilt (roll) least, and most of that motion lies below 1 Hz. Speaking raises it (SadTalker's
/// PoseVAE conditions pose on audio for the same reason), which <see cref="EnergyGain"/> models.
/// </remarks>
/// <param name="Name">The preset's name, as <see cref="Parse"/> accepts it.</param>
/// <param name="YawSigmaDegrees">Standard deviation of yaw with no speech (or no energy given), degrees.</param>
/// <param name="PitchSigmaDegrees">Standard deviation of pitch with no speech, degrees.</param>
/// <param name="RollSigmaDegrees">Standard deviation of roll with no speech, degrees.</param>
/// <param name="BandLowHz">Lowest frequency of the motion.</param>
/// <param name="BandHighHz">Highest frequency of the motion; it also bounds how fast the head turns.</param>
/// <param name="SwaySigma">Standard deviation of the head's sideways and vertical drift, in inter-ocular distances.</param>
/// <param name="EnergyGain">
/// How much speech raises the motion: during sustained speech every amplitude is multiplied by 1 + gain; it also
/// sets the size of the nods at strong syllable onsets.
/// </param>
public sealed record PoseStyle(
    string Name,
    double YawSigmaDegrees,
    double PitchSigmaDegrees,
    double RollSigmaDegrees,
    double BandLowHz,
    double BandHighHz,
    double SwaySigma,
    double EnergyGain)
{
    /// <summary>A composed newsreader: small, slow motion that speech barely changes.</summary>
    public static PoseStyle Calm { get; } = new("calm", 2.0, 1.5, 1.0, 0.08, 0.4, 0.015, 0.2);

    /// <summary>An ordinary conversational speaker; the default of <c>HeadMotion</c>.</summary>
    public static PoseStyle Neutral { get; } = new("neutral", 4.0, 3.0, 2.0, 0.1, 0.6, 0.03, 0.4);

    /// <summary>An animated speaker who moves a lot, more so while talking.</summary>
    public static PoseStyle Lively { get; } = new("lively", 7.0, 5.0, 3.5, 0.12, 0.7, 0.05, 0.7);

    /// <summary>The preset names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["calm", "neutral", "lively"];

    /// <summary>The preset called <paramref name="name"/> (case and surrounding spaces ignored).</summary>
    /// <exception cref="ArgumentException">No preset has that name.</exception>
    public static PoseStyle Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "calm" => Calm,
            "neutral" => Neutral,
            "lively" => Lively,
            _ => throw new ArgumentException(
                $"unknown head-motion style '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name)),
        };
    }

    /// <summary>Throws if a hand-made style could not give a sensible trajectory.</summary>
    internal void Validate()
    {
        if (!(YawSigmaDegrees >= 0 && PitchSigmaDegrees >= 0 && RollSigmaDegrees >= 0 && SwaySigma >= 0 && EnergyGain >= 0)
            || !double.IsFinite(YawSigmaDegrees + PitchSigmaDegrees + RollSigmaDegrees + SwaySigma + EnergyGain))
        {
            throw new ArgumentException($"style '{Name}': deviations and gain must be finite and non-negative");
        }

        if (!(BandLowHz > 0 && BandHighHz >= BandLowHz && double.IsFinite(BandHighHz)))
        {
            throw new ArgumentException($"style '{Name}': the band needs 0 < low <= high, got {BandLowHz}-{BandHighHz} Hz");
        }
    }
}
