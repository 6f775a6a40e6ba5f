using Pipeline.Encoding.Content.HeadAudio;
using Pipeline.Encoding.Content.PocketSphinx;

namespace Pipeline.Encoding.Content;

/// <summary>Settings of the content encoder; bound from the "Content" configuration section.</summary>
public sealed class ContentEncoderOptions
{
    public const string SectionName = "Content";

    /// <summary>HeadAudio's model-en-mixed.bin; default from <see cref="HeadAudioModelLocator"/>.</summary>
    public string HeadAudioModelPath { get; set; } = HeadAudioModelLocator.DefaultPath();

    /// <summary>HeadAudio's silSensitivity: silence prototypes' distances are divided by it (JS default 1.2).</summary>
    public double HeadAudioSilSensitivity { get; set; } = 1.2;

    /// <summary>Softness of HeadAudio posteriors: p ∝ exp(-d / 2T). 1 is the Gaussian likelihood itself.</summary>
    public double HeadAudioTemperature { get; set; } = 1.0;

    /// <summary>HeadAudio's speakerMeanHz (mel warp; 150 = none). Experimental upstream; left at the neutral value.</summary>
    public double HeadAudioSpeakerMeanHz { get; set; } = 150;

    /// <summary>Weight of PocketSphinx in <see cref="ContentMethod.Fused"/>; HeadAudio gets the rest.</summary>
    public double FusionPocketSphinxWeight { get; set; } = 0.5;

    /// <summary>Side weight w of the [w, 1-2w, w] temporal smoothing applied to the final posteriors; 0 = none.</summary>
    public float Smoothing { get; set; } = 0.25f;

    public PocketSphinxOptions PocketSphinx { get; set; } = new();
}
