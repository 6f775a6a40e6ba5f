namespace Pipeline.Encoding.Content.PocketSphinx;

/// <summary>Where pocketsphinx_continuous and its en-us model are, and how long one run may take.</summary>
public sealed class PocketSphinxOptions
{
    public string ExecutablePath { get; set; } = "pocketsphinx_continuous";

    /// <summary>Debian's pocketsphinx-en-us phone language model (allphone mode: phones, no words).</summary>
    public string PhoneLanguageModel { get; set; } = "/usr/share/pocketsphinx/model/en-us/en-us-phone.lm.bin";

    /// <summary>Fixed part of the limit; the rest scales with the audio (it runs at about 0.5-2 s per second).</summary>
    public TimeSpan BaseTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public double TimeoutSecondsPerAudioSecond { get; set; } = 10;
}
