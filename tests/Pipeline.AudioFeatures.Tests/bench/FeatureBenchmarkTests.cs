using Pipeline.AudioFeatures.Dsp;
using Pipeline.TestSupport;

namespace Pipeline.AudioFeatures.Tests.Bench;

/// <summary>
/// The speed benchmark, not a test: explicit only, run by bench/run.sh (Release build, pinned to one core).
/// 60 s of real speech is made by concatenating the testdata clips.
/// </summary>
public sealed class FeatureBenchmarkTests
{
    [Fact(Explicit = true)]
    public async Task Sixty_seconds_of_speech_on_one_core()
    {
        using var scratch = new ScratchDirectory("af-bench");
        var clips = new[] { "audio/long_sun_22s.wav", "audio/fr_speech_long.wav", "audio/de_speech.wav", "audio/en_radio31.wav", "audio/ja_speech.wav", "audio/mead_m006_16k.wav" };
        var speech = clips.SelectMany(c => AudioFiles.Decode16kMono(TestData.Require(c), scratch)).Take(60 * 16000).ToArray();
        Assert.Equal(60 * 16000, speech.Length);

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"processors visible: {Environment.ProcessorCount}");
        foreach (var (num, den) in new[] { (25, 1), (30000, 1001), (60, 1) })
        {
            var result = await FeatureBenchmark.RunAsync(speech, repeats: 7, num, den, TestContext.Current.CancellationToken);
            output?.WriteLine($"{num}/{den} fps: {result}");
        }
    }
}
