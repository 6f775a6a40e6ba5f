namespace Pipeline.Motion.Prediction;

/// <summary>Zero-phase smoothers that <see cref="TemporalSmoothing"/> offers for predicted shape tracks.</summary>
public enum CoefficientSmoothing
{
    /// <summary>Leave the per-frame predictions as they are.</summary>
    None,

    /// <summary>Centred [0.25, 0.5, 0.25] kernel (edges repeated): a fixed, very light low-pass.</summary>
    ThreeTap,

    /// <summary>Forward-backward One Euro filter with the <c>OneEuroParameters.Mouth</c> preset: adapts its cutoff to the speed.</summary>
    OneEuro,
}
