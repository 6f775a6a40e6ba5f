namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// Options of <see cref="AudioFeatureExtractor"/>. The analysis parameters (window, hop, mel bands, Wav2Lip's
/// hparams) are defined at 16 kHz, which is the only rate accepted: decode to 16 kHz mono first.
/// </summary>
public sealed record FeatureExtractionOptions(int SampleRate = 16000)
{
    public static FeatureExtractionOptions Default { get; } = new();
}
