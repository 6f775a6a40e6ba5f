using Pipeline.Encoding.Content;
using Pipeline.TestSupport;

namespace Pipeline.Encoding.Tests;

public sealed class CollapseRecoveryTests
{
    private const int Rate = 100; // one sample per 10 ms keeps the offsets readable

    /// <summary>A recogniser that collapses at fixed clip times under one setting, and records what it was asked.</summary>
    private sealed class ScriptedRecognizer(double origin, Func<bool, double, double?> collapseAt)
    {
        public List<(double From, bool RemoveNoise)> Calls { get; } = [];

        public Task<IReadOnlyList<TimedPhone>> Recognize(ReadOnlyMemory<float> samples, bool removeNoise, CancellationToken ct)
        {
            var from = origin + ((Length - samples.Length) / (double)Rate);
            Calls.Add((from, removeNoise));
            var end = origin + (Length / (double)Rate);
            var phones = new List<TimedPhone>();
            var stop = collapseAt(removeNoise, from) ?? end;
            for (var t = from; t + 0.1 <= stop + 1e-9; t += 0.1)
            {
                phones.Add(new TimedPhone("AA", t - from, t + 0.1 - from, 1));
            }

            if (stop < end)
            {
                phones.Add(new TimedPhone("W", stop - from, end - from, 1));
            }

            return Task.FromResult<IReadOnlyList<TimedPhone>>(phones);
        }

        public int Length { get; init; }
    }

    [Fact]
    public async Task A_window_without_a_collapse_is_recognised_once()
    {
        var recognizer = new ScriptedRecognizer(10, (_, _) => null) { Length = 10 * Rate };

        var (phones, restarts) = await CollapseRecovery.RecognizeAsync(recognizer.Recognize, new float[10 * Rate], Rate, 10, TestContext.Current.CancellationToken);

        Assert.Equal(0, restarts);
        Assert.Equal([(10.0, true)], recognizer.Calls);
        Assert.Equal(10.0, phones[0].StartSeconds, 6);
        Assert.Empty(PhoneCollapse.Find(phones));
    }

    [Fact]
    public async Task A_collapse_is_recognised_again_from_its_start_with_noise_removal_switched()
    {
        // Collapses at 12 s with noise removal on; off, it gets through.
        var recognizer = new ScriptedRecognizer(10, (removeNoise, _) => removeNoise ? 12.0 : null) { Length = 10 * Rate };

        var (phones, restarts) = await CollapseRecovery.RecognizeAsync(recognizer.Recognize, new float[10 * Rate], Rate, 10, TestContext.Current.CancellationToken);

        Assert.Equal(1, restarts);
        Assert.Equal(2, recognizer.Calls.Count);
        Assert.Equal(12.0, recognizer.Calls[1].From, 6);
        Assert.False(recognizer.Calls[1].RemoveNoise);
        Assert.Empty(PhoneCollapse.Find(phones));
        Assert.Equal(20.0, phones[^1].EndSeconds, 6);
        // Contiguous: the first run's phones up to 12 s, the restart's from there.
        for (var i = 1; i < phones.Count; i++)
        {
            Assert.Equal(phones[i - 1].EndSeconds, phones[i].StartSeconds, 6);
        }
    }

    [Fact]
    public async Task Every_restart_that_gets_further_is_followed_by_another()
    {
        // Each run collapses 3 s after it starts, whatever the setting (looped audio with a trigger every few seconds).
        var recognizer = new ScriptedRecognizer(0, (_, from) => from + 3 < 10 ? from + 3 : null) { Length = 10 * Rate };

        var (phones, restarts) = await CollapseRecovery.RecognizeAsync(recognizer.Recognize, new float[10 * Rate], Rate, 0, TestContext.Current.CancellationToken);

        Assert.Equal(3, restarts); // collapses at 3, 6 and 9 s
        Assert.Equal([true, false, true, false], recognizer.Calls.Select(c => c.RemoveNoise));
        Assert.Empty(PhoneCollapse.Find(phones));
    }

    [Fact]
    public async Task A_restart_that_collapses_where_it_started_ends_the_loop_and_leaves_the_span_to_the_fallback()
    {
        var recognizer = new ScriptedRecognizer(0, (_, from) => Math.Max(from, 4)) { Length = 10 * Rate };

        var (phones, restarts) = await CollapseRecovery.RecognizeAsync(recognizer.Recognize, new float[10 * Rate], Rate, 0, TestContext.Current.CancellationToken);

        Assert.Equal(1, restarts);
        var collapse = Assert.Single(PhoneCollapse.Find(phones));
        Assert.Equal(4.0, collapse.StartSeconds, 6);
    }

    [Fact]
    public async Task Restarts_are_bounded()
    {
        // A collapse every half second: the loop stops after MaxRestarts runs past the first.
        var recognizer = new ScriptedRecognizer(0, (_, from) => from + 0.7 < 30 ? from + 0.7 : null) { Length = 30 * Rate };

        var (_, restarts) = await CollapseRecovery.RecognizeAsync(recognizer.Recognize, new float[30 * Rate], Rate, 0, TestContext.Current.CancellationToken);

        Assert.Equal(CollapseRecovery.MaxRestarts, restarts);
        Assert.Equal(CollapseRecovery.MaxRestarts, recognizer.Calls.Count - 1);
    }

    [Fact]
    public async Task Looped_real_speech_that_collapses_pocketsphinx_is_recognised_to_the_end()
    {
        // en_radio31 collapses PocketSphinx ("W" for the rest of the run) a little after 2.3 s of each 8 s loop, depending
        // on what the run heard before; before the restarts, 20 s of it took most frames from HeadAudio.
        var speech = TestData.Require("audio/en_radio31.wav");
        EncodingTools.RequirePocketSphinx();
        EncodingTools.RequireModel();
        using var scratch = new ScratchDirectory("collapse-loop");
        var tools = new EncodingTools();
        var looped = scratch.File("looped.wav");
        await tools.Runner.RunAsync(
            ["-nostats", "-v", "error", "-y", "-stream_loop", "-1", "-i", speech, "-t", "20", "-ac", "1", "-ar", "16000", looped],
            new Pipeline.Media.FfmpegRunOptions(FilePath: speech),
            TestContext.Current.CancellationToken);

        await tools.Encoder.EncodeAsync(looped, 25, 1, 500, scratch.Path, ContentMethod.PocketSphinx, TestContext.Current.CancellationToken);

        using var sidecar = System.Text.Json.JsonDocument.Parse(File.ReadAllText(scratch.File("content.json")));
        var parameters = sidecar.RootElement.GetProperty("parameters");
        var restarts = parameters.GetProperty("pocketsphinx_collapse_restarts").GetInt32();
        var fallback = parameters.GetProperty("pocketsphinx_collapse_frames_from_headaudio").GetInt32();
        Assert.True(fallback <= 25, $"{fallback} of 500 frames still came from HeadAudio after {restarts} restart(s)");
        Assert.True(restarts >= 1, $"no restart: the clip no longer collapses PocketSphinx, so this test checks nothing");
    }
}
