using Pipeline.Encoding.Content;

namespace Pipeline.Encoding.Tests;

public sealed class VisemeMapTests
{
    [Fact]
    public void VisemeOrderIsTheFileFormat()
    {
        Assert.Equal(["sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "I", "O", "U"], Visemes.Names);
        Assert.Equal(Visemes.Count, Visemes.Names.Count);
        Assert.Equal(Visemes.PP, Visemes.IndexOf("PP"));
    }

    [Theory]
    [InlineData("P", "PP")] [InlineData("B", "PP")] [InlineData("M", "PP")]
    [InlineData("F", "FF")] [InlineData("V", "FF")] [InlineData("TH", "TH")] [InlineData("DH", "TH")]
    [InlineData("T", "DD")] [InlineData("D", "DD")] [InlineData("K", "kk")] [InlineData("G", "kk")]
    [InlineData("CH", "CH")] [InlineData("JH", "CH")] [InlineData("SH", "CH")] [InlineData("ZH", "CH")]
    [InlineData("S", "SS")] [InlineData("Z", "SS")] [InlineData("N", "nn")] [InlineData("NG", "nn")] [InlineData("L", "nn")]
    [InlineData("R", "RR")] [InlineData("AA", "aa")] [InlineData("AE", "aa")] [InlineData("AY", "aa")]
    [InlineData("EH", "E")] [InlineData("AH", "E")] [InlineData("ER", "E")] [InlineData("IH", "I")] [InlineData("IY", "I")]
    [InlineData("OW", "O")] [InlineData("AO", "O")] [InlineData("UW", "U")] [InlineData("W", "U")]
    [InlineData("SIL", "sil")] [InlineData("+NSN+", "sil")] [InlineData("AH0", "E")]
    public void CmuPhonesMapToVisemes(string phone, string viseme) => Assert.Equal(Visemes.IndexOf(viseme), PhoneVisemeMap.FromCmu(phone));

    [Theory]
    [InlineData("p", "PP")] [InlineData("p_h", "PP")] [InlineData("b", "PP")] [InlineData("m", "PP")]
    [InlineData("f", "FF")] [InlineData("D", "TH")] [InlineData("T", "TH")] [InlineData("t_h", "DD")] [InlineData("d", "DD")]
    [InlineData("k_h", "kk")] [InlineData("g", "kk")] [InlineData("tS", "CH")] [InlineData("dZ", "CH")] [InlineData("S", "CH")]
    [InlineData("s", "SS")] [InlineData("z", "SS")] [InlineData("n", "nn")] [InlineData("N", "nn")] [InlineData("l", "nn")]
    [InlineData("r", "RR")] [InlineData("A", "aa")] [InlineData("{", "aa")] [InlineData("AI", "aa")] [InlineData("aU", "aa")]
    [InlineData("@", "E")] [InlineData("V", "E")] [InlineData("EI", "E")] [InlineData("r=", "E")] [InlineData("3", "E")]
    [InlineData("I", "I")] [InlineData("i", "I")] [InlineData("O", "O")] [InlineData("@U", "O")] [InlineData("OI", "O")]
    [InlineData("U", "U")] [InlineData("u", "U")] [InlineData("w", "U")] [InlineData("_", "sil")]
    public void MbrolaSampaMapsToVisemes(string phoneme, string viseme) => Assert.Equal(Visemes.IndexOf(viseme), PhoneVisemeMap.FromSampa(phoneme));

    [Fact]
    public void EverySampaSymbolEspeakWritesForTheCorpusIsMapped()
    {
        using var scratch = new Pipeline.TestSupport.ScratchDirectory("sampa");
        foreach (var sentence in SyntheticCorpus.Sentences)
        {
            var u = Pipeline.TestSupport.SyntheticSpeech.Speak(sentence, scratch.Path);
            Assert.All(u.Phonemes, p => Assert.True(PhoneVisemeMap.FromSampa(p.Phoneme) >= 0, $"unmapped SAMPA '{p.Phoneme}' in '{sentence}'"));
        }
    }
}
