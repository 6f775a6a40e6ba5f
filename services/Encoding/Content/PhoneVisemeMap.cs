namespace Pipeline.Encoding.Content;

/// <summary>
/// CMU/ARPAbet phones (PocketSphinx en-us) and espeak-ng mbrola SAMPA phonemes (the synthetic ground truth) to
/// visemes. Both maps follow one set of rules, so that accuracy figures compare like with like: diphthongs take
/// the shape of their first element, schwa and wedge are E (as HeadAudio's training labels have them), l joins n,
/// w joins the rounded U, y joins I, h takes the sibilant class (HeadAudio's choice; its shape follows the vowel anyway).
/// </summary>
public static class PhoneVisemeMap
{
    private static readonly Dictionary<string, int> Cmu = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SIL"] = Visemes.Sil,
        ["P"] = Visemes.PP, ["B"] = Visemes.PP, ["M"] = Visemes.PP,
        ["F"] = Visemes.FF, ["V"] = Visemes.FF,
        ["TH"] = Visemes.TH, ["DH"] = Visemes.TH,
        ["T"] = Visemes.DD, ["D"] = Visemes.DD,
        ["K"] = Visemes.Kk, ["G"] = Visemes.Kk,
        ["CH"] = Visemes.CH, ["JH"] = Visemes.CH, ["SH"] = Visemes.CH, ["ZH"] = Visemes.CH,
        ["S"] = Visemes.SS, ["Z"] = Visemes.SS, ["HH"] = Visemes.SS,
        ["N"] = Visemes.Nn, ["NG"] = Visemes.Nn, ["L"] = Visemes.Nn,
        ["R"] = Visemes.RR,
        ["AA"] = Visemes.Aa, ["AE"] = Visemes.Aa, ["AW"] = Visemes.Aa, ["AY"] = Visemes.Aa,
        ["AH"] = Visemes.E, ["EH"] = Visemes.E, ["ER"] = Visemes.E, ["EY"] = Visemes.E,
        ["IH"] = Visemes.I, ["IY"] = Visemes.I, ["Y"] = Visemes.I,
        ["AO"] = Visemes.O, ["OW"] = Visemes.O, ["OY"] = Visemes.O,
        ["UH"] = Visemes.U, ["UW"] = Visemes.U, ["W"] = Visemes.U,
    };

    // espeak-ng's mbrola us1/us2 phoneme set (SAMPA). Aspiration (_h) and syllabicity (=) are stripped first.
    private static readonly Dictionary<string, int> Sampa = new(StringComparer.Ordinal)
    {
        ["_"] = Visemes.Sil, ["?"] = Visemes.Sil,
        ["p"] = Visemes.PP, ["b"] = Visemes.PP, ["m"] = Visemes.PP,
        ["f"] = Visemes.FF, ["v"] = Visemes.FF,
        ["T"] = Visemes.TH, ["D"] = Visemes.TH,
        ["t"] = Visemes.DD, ["d"] = Visemes.DD, ["4"] = Visemes.DD,
        ["k"] = Visemes.Kk, ["g"] = Visemes.Kk,
        ["tS"] = Visemes.CH, ["dZ"] = Visemes.CH, ["S"] = Visemes.CH, ["Z"] = Visemes.CH,
        ["s"] = Visemes.SS, ["z"] = Visemes.SS, ["h"] = Visemes.SS,
        ["n"] = Visemes.Nn, ["N"] = Visemes.Nn, ["l"] = Visemes.Nn,
        ["r"] = Visemes.RR,
        ["A"] = Visemes.Aa, ["{"] = Visemes.Aa, ["aU"] = Visemes.Aa, ["AI"] = Visemes.Aa, ["aI"] = Visemes.Aa, ["a"] = Visemes.Aa,
        ["@"] = Visemes.E, ["V"] = Visemes.E, ["E"] = Visemes.E, ["3"] = Visemes.E, ["r="] = Visemes.E, ["EI"] = Visemes.E, ["e"] = Visemes.E, ["eI"] = Visemes.E,
        ["I"] = Visemes.I, ["i"] = Visemes.I, ["j"] = Visemes.I,
        ["O"] = Visemes.O, ["@U"] = Visemes.O, ["oU"] = Visemes.O, ["OI"] = Visemes.O, ["o"] = Visemes.O, ["Q"] = Visemes.O,
        ["U"] = Visemes.U, ["u"] = Visemes.U, ["w"] = Visemes.U,
    };

    /// <summary>Viseme of a PocketSphinx phone; fillers (+NSN+, +SPN+, ...) and unknown phones are silence.</summary>
    public static int FromCmu(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        return Cmu.TryGetValue(StripStress(phone), out var v) ? v : Visemes.Sil;
    }

    /// <summary>Viseme of an mbrola SAMPA phoneme, or -1 when the symbol is not in the set (callers decide).</summary>
    public static int FromSampa(string phoneme)
    {
        ArgumentNullException.ThrowIfNull(phoneme);
        if (Sampa.TryGetValue(phoneme, out var v))
        {
            return v;
        }

        var bare = phoneme.Replace("_h", string.Empty, StringComparison.Ordinal);
        if (Sampa.TryGetValue(bare, out v))
        {
            return v;
        }

        bare = bare.TrimEnd('=', ':');
        return bare.Length == 0 ? -1 : Sampa.TryGetValue(bare, out v) ? v : -1;
    }

    // CMU dictionaries carry lexical stress digits (AH0); the phone recogniser does not, but accept both.
    private static string StripStress(string phone) =>
        phone.Length > 1 && char.IsAsciiDigit(phone[^1]) ? phone[..^1] : phone;
}
