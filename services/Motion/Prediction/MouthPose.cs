namespace Pipeline.Motion.Prediction;

/// <summary>
/// A mouth pose as a few articulatory parameters, applied as deformations of the target's neutral mouth by
/// <see cref="GenericMouthModel"/>. Distances are in inter-ocular units (the canonical frame's unit) for an
/// average-sized mouth; the model scales them to the target's mouth width.
/// </summary>
/// <param name="JawDrop">The mandible lowers: chin and jaw 5-11, the lower lip, partly the corners, move down.</param>
/// <param name="LipOpening">The lower lip parts from the upper beyond what the jaw gives (inner lip gap).</param>
/// <param name="Width">Corners out (spread, positive) or in (negative), every lip point in proportion to its distance from the midline.</param>
/// <param name="Rounding">Lip rounding/protrusion: the mouth narrows and its opening grows taller.</param>
/// <param name="UpperLipRaise">The upper lip lifts (e.g. over the teeth for labiodentals).</param>
/// <param name="Closure">0..1: the share of the remaining inner lip gap that is closed; 1 = lips sealed (bilabials).</param>
public readonly record struct MouthPose(
    float JawDrop, float LipOpening, float Width, float Rounding, float UpperLipRaise, float Closure)
{
    /// <summary>Number of continuous parameters that are blended and smoothed as tracks (all but <see cref="Closure"/>).</summary>
    internal const int ContinuousCount = 5;
}
