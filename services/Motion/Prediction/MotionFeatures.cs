namespace Pipeline.Motion.Prediction;

/// <summary>
/// The per-frame input of the person-specific mouth model, built from what the audio and content stages write
/// on the video frame clock.
/// </summary>
/// <remarks>
/// Row layout for frame i, with W = 2·context + 1 frames i-context..i+context (indices clamped to the clip, so
/// the first and last frames repeat at the edges), in three blocks:
/// <list type="number">
/// <item>visemes: W × 15 posteriors, frame-major (frame i-context's 15, then the next frame's...);</item>
/// <item>MFCC: W × 26, the 13 static coefficients then their 13 deltas, frame-major;</item>
/// <item>energy: W values, dBFS clamped to [-80, 0] and divided by 80 (so in [-1, 0]).</item>
/// </list>
/// D = W · (15 + 26 + 1) = 42 · (2·context + 1): 210 for the default context of 2 (±80 ms at 25 fps, about
/// the span of coarticulation). The delta-deltas are left out: they are mostly noise at frame rate, and the
/// context window already lets the regression form its own differences.
/// </remarks>
public static class MotionFeatures
{
    public const int VisemeColumns = 15;

    /// <summary>Columns of the MFCC input: 13 static, 13 Δ, 13 ΔΔ (the AudioFeatures sidecar layout).</summary>
    public const int MfccColumns = 39;

    /// <summary>MFCC columns used per frame: the 13 static and the 13 Δ.</summary>
    public const int MfccUsed = 26;

    public const float EnergyFloorDbfs = -80f;

    private const int PerFrame = VisemeColumns + MfccUsed + 1;

    public static int Dimension(int context)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        return PerFrame * (2 * context + 1);
    }

    public static float[] Build(ReadOnlySpan<float> visemes, ReadOnlySpan<float> mfcc, ReadOnlySpan<float> energyDbfs, int frames, int context = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        var d = Dimension(context);
        Require(visemes.Length, (long)frames * VisemeColumns, nameof(visemes));
        Require(mfcc.Length, (long)frames * MfccColumns, nameof(mfcc));
        Require(energyDbfs.Length, frames, nameof(energyDbfs));

        var window = 2 * context + 1;
        var result = new float[(long)frames * d];
        var mfccStart = window * VisemeColumns;
        var energyStart = mfccStart + window * MfccUsed;
        for (var i = 0; i < frames; i++)
        {
            var row = result.AsSpan(i * d, d);
            for (var w = 0; w < window; w++)
            {
                var src = Math.Clamp(i - context + w, 0, frames - 1);
                visemes.Slice(src * VisemeColumns, VisemeColumns).CopyTo(row.Slice(w * VisemeColumns, VisemeColumns));
                mfcc.Slice(src * MfccColumns, MfccUsed).CopyTo(row.Slice(mfccStart + w * MfccUsed, MfccUsed));
                row[energyStart + w] = ScaleEnergy(energyDbfs[src]);
            }
        }

        return result;
    }

    /// <summary>dBFS to [-1, 0]; digital silence (-∞) and NaN count as the floor.</summary>
    private static float ScaleEnergy(float dbfs) =>
        float.IsNaN(dbfs) ? -1f : Math.Clamp(dbfs, EnergyFloorDbfs, 0f) / -EnergyFloorDbfs;

    private static void Require(int length, long needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"expected at least {needed} floats, got {length}", name);
        }
    }
}
