using System.Globalization;

namespace Pipeline.Encoding.Content.PocketSphinx;

/// <summary>Where pocketsphinx_continuous and its en-us model are, how it searches, and how long one run may take.</summary>
public sealed class PocketSphinxOptions
{
    public string ExecutablePath { get; set; } = "pocketsphinx_continuous";

    /// <summary>Debian's pocketsphinx-en-us phone language model (allphone mode: phones, no words).</summary>
    public string PhoneLanguageModel { get; set; } = "/usr/share/pocketsphinx/model/en-us/en-us-phone.lm.bin";

    /// <summary>
    /// Decode context-independent phones (<c>-allphone_ci</c>) rather than triphones. Eight times faster (60 s of
    /// hdtf_katiehill: 2.3 s of CPU against 19.8 s) in a sixth of the memory, but it finds 35 of the 56 bilabial
    /// closures of the synthetic corpus where triphones find 47-48 (Content/EVIDENCE.md), below issue 3's 80 %.
    /// </summary>
    public bool ContextIndependent { get; set; }

    /// <summary>
    /// Search beam (<c>-beam</c>). Narrower than PocketSphinx's default of 1e-48, and this is what makes triphone
    /// search affordable: on 30 s of hdtf_katiehill, 1e-10 takes 12-17 s and 188 MB, 1e-20 84 s and 800 MB, for the
    /// same phones. The price is the occasional collapse (<see cref="PhoneCollapse"/>), which the encoder recovers from.
    /// </summary>
    public double Beam { get; set; } = 1e-10;

    /// <summary>
    /// Phone-exit beam (<c>-pbeam</c>). 1e-9 rather than the search beam's 1e-10: a fifth less CPU and a sixth less
    /// memory (60 s of hdtf_katiehill: 15.3-16.1 s and 220 MB against 19.7-19.9 s and 263 MB), the same closures on
    /// the synthetic corpus and the same eval figures. 1e-8 collapses on en_radio31 beyond what restarts recover.
    /// </summary>
    public double PhoneBeam { get; set; } = 1e-9;

    /// <summary>Fixed part of the limit; the rest scales with the audio (it runs at about 0.05-2 s per second).</summary>
    public TimeSpan BaseTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public double TimeoutSecondsPerAudioSecond { get; set; } = 10;

    /// <summary>The settings that change what is recognised, for cache keys: a stored result is reused only under the settings that made it.</summary>
    public string SearchSettings() =>
        string.Create(CultureInfo.InvariantCulture, $"allphone_ci={(ContextIndependent ? "yes" : "no")} beam={Beam:0.##e0} pbeam={PhoneBeam:0.##e0} lm={PhoneLanguageModel}");
}
