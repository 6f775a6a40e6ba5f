namespace Pipeline.Encoding.Content;

/// <summary>Where the per-frame viseme evidence comes from (see Content/EVIDENCE.md for how they compare).</summary>
public enum ContentMethod
{
    /// <summary>PocketSphinx en-us phone recognition with timings, phones mapped to visemes.</summary>
    PocketSphinx,

    /// <summary>HeadAudio's MFCC Gaussian viseme prototypes (Mahalanobis classifier), softened into posteriors.</summary>
    HeadAudio,

    /// <summary>Weighted average of both (<see cref="ContentEncoderOptions.FusionPocketSphinxWeight"/>).</summary>
    Fused,
}
