using Pipeline.Encoding.Content;
using Pipeline.TestSupport;

namespace Pipeline.Encoding.Tests;

public sealed class PhoneCollapseTests
{
    private static readonly FrameClock Clock = FrameClock.Create(25, 1);

    [Fact]
    public void Only_non_silence_phones_longer_than_any_real_phone_count_as_a_collapse()
    {
        TimedPhone[] phones =
        [
            new("SIL", 0, 1.5, 1), new("B", 1.5, 1.56, 1), new("AA", 1.56, 1.9, 1),
            new("W", 2.34, 7.98, 1), new("+NSN+", 8, 9.5, 1),
        ];

        var collapsed = PhoneCollapse.Find(phones);

        Assert.Equal("W", Assert.Single(collapsed).Phone);
    }

    [Fact]
    public void Frames_centred_in_a_collapsed_span_come_from_the_fallback_and_no_others()
    {
        var target = new VisemePosteriors(250, Clock);
        var fallback = new VisemePosteriors(250, Clock);
        target.AddSpan(0, 10, Visemes.U);
        fallback.AddSpan(0, 10, Visemes.PP);

        var replaced = PhoneCollapse.Repair(target, fallback, [new TimedPhone("W", 2.34, 7.98, 1)]);

        // Frame f is centred at (f + 0.5) / 25 s: frames 58 (2.34 s) .. 199 (7.98 s).
        Assert.Equal(199 - 58 + 1, replaced);
        Assert.Equal(Visemes.U, target.Best(57));
        Assert.Equal(Visemes.PP, target.Best(58));
        Assert.Equal(Visemes.PP, target.Best(199));
        Assert.Equal(Visemes.U, target.Best(200));
    }

    [Fact]
    public async Task Real_speech_where_pocketsphinx_collapses_gets_varied_visemes_throughout()
    {
        var speech = TestData.Require("audio/en_radio31.wav");
        EncodingTools.RequirePocketSphinx();
        EncodingTools.RequireModel();
        using var scratch = new ScratchDirectory("collapse");
        var encoder = new EncodingTools().Encoder;

        await encoder.EncodeAsync(speech, 25, 1, 200, scratch.Path, ContentMethod.PocketSphinx, TestContext.Current.CancellationToken);

        var visemes = Pipeline.Features.NpyReader.Load<float>(scratch.File("visemes.npy")).Data;
        var bestInLastSixSeconds = Enumerable.Range(50, 150)
            .Select(f => visemes.AsSpan(f * Visemes.Count, Visemes.Count).ToArray())
            .Select(row => Array.IndexOf(row, row.Max()))
            .Distinct()
            .Count();
        Assert.True(bestInLastSixSeconds >= 5, $"only {bestInLastSixSeconds} distinct visemes from 2 s to 8 s");
    }
}
