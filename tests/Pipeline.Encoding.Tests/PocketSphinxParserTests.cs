using Pipeline.Encoding.Content;
using Pipeline.Encoding.Content.PocketSphinx;

namespace Pipeline.Encoding.Tests;

public sealed class PocketSphinxParserTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void ParsesASingleUtterance()
    {
        // Real output of pocketsphinx_continuous (Debian 0.8+5prealpha) on espeak-ng mb-us1 "Bob made a map of the pub by the bay."
        var phones = PocketSphinxOutputParser.Parse(Fixture("pocketsphinx-bob-made-a-map.txt"));

        Assert.Equal(27, phones.Count); // the hypothesis line has 27 phones, each with a timing line
        Assert.Equal(("SIL", 0.0, 0.07, 1.0), (phones[0].Phone, phones[0].StartSeconds, Math.Round(phones[0].EndSeconds, 9), phones[0].Probability));
        Assert.Equal("AH", phones[1].Phone);
        Assert.Equal(0.07, phones[1].StartSeconds, 9);
        Assert.Equal(0.18, phones[1].EndSeconds, 9);
        Assert.Equal(("SIL", 1.72, 2.01), (phones[^1].Phone, phones[^1].StartSeconds, Math.Round(phones[^1].EndSeconds, 9)));
        // Consecutive phones tile time without holes once the last frame is counted.
        for (var i = 1; i < phones.Count; i++)
        {
            Assert.Equal(phones[i - 1].EndSeconds, phones[i].StartSeconds, 9);
        }
    }

    [Fact]
    public void ParsesSeveralUtterancesWithAbsoluteTimesAndFillers()
    {
        // Real output on testdata long_sun_22s.wav: several utterances, each a hypothesis line then timed phones; contains +SPN+.
        var text = Fixture("pocketsphinx-long-sun-22s.txt");
        var phones = PocketSphinxOutputParser.Parse(text);
        var hypotheses = text.Split('\n').Where(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is not (0 or 4)).ToArray();

        Assert.Equal(hypotheses.Sum(h => h.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length), phones.Count);
        Assert.Contains(phones, p => p.Phone == "+SPN+");
        Assert.All(phones.Zip(phones.Skip(1)), pair => Assert.True(pair.Second.StartSeconds >= pair.First.StartSeconds));
        Assert.InRange(phones[^1].EndSeconds, 21.0, 22.5);
        Assert.Equal(Visemes.Sil, PhoneVisemeMap.FromCmu("+SPN+"));
    }

    [Theory]
    [InlineData("SIL AH B")]
    [InlineData("SIL AH B SIL")] // a four-phone hypothesis is not a timing line
    [InlineData("AH 0.1 x 1.0")]
    [InlineData("AH 0.5 0.2 1.0")]
    [InlineData("")]
    public void IgnoresLinesThatAreNotPhoneTimings(string line) => Assert.Empty(PocketSphinxOutputParser.Parse(line));

    [Fact]
    public void ProjectsPhonesOntoFramesAsOverlapFractions()
    {
        var clock = FrameClock.Create(25, 1); // 40 ms frames
        TimedPhone[] phones = [new("M", 0.0, 0.06, 1), new("AA", 0.06, 0.12, 1)];
        var grid = PocketSphinxVisemes.Project(phones, 4, clock);
        grid.Finish(0);

        Assert.Equal(1f, grid.Row(0)[Visemes.PP], 5);
        Assert.Equal(0.5f, grid.Row(1)[Visemes.PP], 5);
        Assert.Equal(0.5f, grid.Row(1)[Visemes.Aa], 5);
        Assert.Equal(1f, grid.Row(2)[Visemes.Aa], 5);
        Assert.Equal(1f, grid.Row(3)[Visemes.Sil], 5); // uncovered time is silence
    }
}
