namespace Pipeline.FaceGeometry;

/// <summary>
/// Settings of a <see cref="OneEuroFilter"/> (Casiez, Roussel and Vogel, CHI 2012). The cutoff adapts to
/// the signal's speed: cutoff = <see cref="MinCutoffHz"/> + <see cref="Beta"/>·|smoothed speed|, so still
/// points are smoothed hard (no jitter) and moving ones lightly (little lag).
/// </summary>
/// <remarks>
/// <see cref="Beta"/> multiplies a speed, so it depends on the units of the signal. The presets assume
/// landmarks in inter-ocular units (the <see cref="CanonicalFace"/> frame, or anything of that scale);
/// for pixels use <see cref="ForScale"/> with the face's inter-ocular distance in pixels.
/// </remarks>
/// <param name="MinCutoffHz">Cutoff when the signal is still: lower means less jitter, more lag on slow moves.</param>
/// <param name="Beta">Cutoff gained per unit of speed (Hz per unit/s): higher means less lag on fast moves.</param>
/// <param name="DerivativeCutoffHz">Cutoff of the speed estimate itself; the paper's 1 Hz.</param>
public readonly record struct OneEuroParameters(double MinCutoffHz, double Beta, double DerivativeCutoffHz = 1.0)
{
    /// <summary>
    /// Rigid points (eyes, brows, nose, face contour): 1 Hz when still, +5 Hz per inter-ocular distance per
    /// second of motion, speed estimated at 1 Hz. Measured at 25 fps with 0.01 IOD of white noise, zero-phase:
    /// jitter on a still face cut to ~16%; a 0.5 Hz head sway kept whole, an energetic 1.5 Hz nod (±0.1 IOD)
    /// kept at ~88%. Lower beta smooths more but lets the face drift off the real head in quick moves, and
    /// rendering puts the new mouth back on the real head.
    /// </summary>
    public static OneEuroParameters Stable => new(1.0, 5.0, 1.0);

    /// <summary>
    /// Mouth points (and the lower jaw, which carries the lower lip): speech moves them at 3-7 Hz, so the
    /// filter must open up as soon as they move. 2 Hz when still, +60 Hz per IOD/s, speed estimated at 3 Hz
    /// so that it follows syllables rather than averaging them away. Measured at 25 fps, zero-phase
    /// (<see cref="OneEuroFilter.SmoothZeroPhase(Span{float}, int, int, double, OneEuroParameters)"/>):
    /// a 4 Hz opening of 0.05 / 0.1 / 0.2 IOD keeps ~91% / 96% / 99% of its amplitude; a still mouth's
    /// jitter is cut to ~50-65%. Lip sync is worth more here than the last bit of jitter.
    /// </summary>
    public static OneEuroParameters Mouth => new(2.0, 60.0, 3.0);

    /// <summary>The same behaviour for a signal whose inter-ocular distance is <paramref name="unitsPerInterOcular"/> (e.g. pixels).</summary>
    public OneEuroParameters ForScale(double unitsPerInterOcular)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitsPerInterOcular);
        return this with { Beta = Beta / unitsPerInterOcular };
    }

    /// <summary>
    /// Per-channel parameters for one 68-point face (136 channels, x and y interleaved): <paramref name="mouth"/>
    /// for the lips (48-67) and the lower jaw (4-12, which moves with the mandible and so with the lips);
    /// <paramref name="stable"/> elsewhere.
    /// </summary>
    public static OneEuroParameters[] ForLandmarks68(OneEuroParameters stable, OneEuroParameters mouth)
    {
        var result = new OneEuroParameters[Landmarks68.FloatCount];
        for (var i = 0; i < Landmarks68.PointCount; i++)
        {
            var p = IsSpeechDriven(i) ? mouth : stable;
            result[2 * i] = p;
            result[2 * i + 1] = p;
        }

        return result;
    }

    /// <summary>Lips, and the part of the jaw contour below the mouth corners.</summary>
    public static bool IsSpeechDriven(int landmark) => Landmarks68.Mouth.Contains(landmark) || landmark is >= 4 and <= 12;

    internal void Validate(string name)
    {
        if (!(MinCutoffHz > 0) || !(DerivativeCutoffHz > 0) || !(Beta >= 0) || !double.IsFinite(MinCutoffHz + Beta + DerivativeCutoffHz))
        {
            throw new ArgumentException($"One Euro parameters need positive finite cutoffs and a non-negative beta, got {this}", name);
        }
    }
}
