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

    /// <summary>
    /// Longest window encoded at once. Memory and one recogniser run scale with it, not with the clip. The recogniser
    /// is single-threaded, so the windows are also how one track's encoding uses more than one core: a title's next
    /// language has only its new speech to encode, and a minute of it in one window kept one of two cores idle. At
    /// 30 s (each window re-hears 3 s of lead-in, so 10 % more audio), `pipeline bench --second-audio` on a 60 s
    /// 720p title went from 51.3 to 47.2 s and the new speech's encoding from 11.5 to 8.1 s; the first dub, which
    /// encodes two tracks at once anyway, was unchanged (74.1 and 74.7 s). Cuts are placed in pauses.
    /// </summary>
    public double ChunkSeconds { get; set; } = 30;

    /// <summary>How far before the window limit the encoder looks for a pause to cut at.</summary>
    public double ChunkSearchSeconds { get; set; } = 10;

    /// <summary>
    /// Audio before each window that PocketSphinx hears but whose phones are dropped: its running cepstral mean starts
    /// from a prior at every run and needs a few seconds of speech to settle. On the synthetic corpus read as one
    /// 14 s clip, one window finds 47/56 closures; 8 s windows with the lead-in find 47 too; 5 s windows find 43 with
    /// it and 42 without (ChunkedContentTests).
    /// </summary>
    public double PocketSphinxLeadInSeconds { get; set; } = 3;

    /// <summary>Windows encoded at once (PocketSphinx is single-threaded); default: the cores, at most 4.</summary>
    public int MaxParallelChunks { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    public PocketSphinxOptions PocketSphinx { get; set; } = new();
}
