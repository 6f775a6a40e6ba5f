using Pipeline.Features;
using Pipeline.Media;
using Pipeline.TestSupport;

namespace Pipeline.AudioFeatures.Tests;

/// <summary>Feature extraction from a media file, as the stage runs it.</summary>
public sealed class FeatureExtractionTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("features-run");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_limit_analyses_only_that_much_from_the_start_and_the_same_frames_as_the_whole_run()
    {
        // The target's own speech in a dub is read for its first minutes only; those frames must be the same
        // frames a full run computes, not an approximation.
        var speech = TestData.Require("audio/mead_m006_16k.wav"); // 4.88 s
        var runner = new FfmpegRunner(new MediaToolOptions { ProcessTimeout = TimeSpan.FromSeconds(60) });
        var prober = new MediaProber(runner);
        var ct = TestContext.Current.CancellationToken;

        var whole = await FeatureExtraction.RunAsync(prober, runner, speech, 25, 1, _scratch.File("whole"), null, ct);
        var head = await FeatureExtraction.RunAsync(prober, runner, speech, 25, 1, _scratch.File("head"), null, ct, maxSeconds: 2);

        Assert.Equal(122, whole.Frames);
        Assert.Equal(50, head.Frames);
        var wholeMfcc = NpyReader.Load<float>(Path.Combine(_scratch.File("whole"), "mfcc.npy")).Data;
        var headMfcc = NpyReader.Load<float>(Path.Combine(_scratch.File("head"), "mfcc.npy")).Data;
        Assert.Equal(50 * 39, headMfcc.Length);

        // Away from the cut (whose last frames see the signal end), every coefficient is the full run's.
        Assert.Equal(wholeMfcc.AsSpan(0, 45 * 39).ToArray(), headMfcc.AsSpan(0, 45 * 39).ToArray());
    }
}
