using Pipeline.TestSupport;

namespace Pipeline.AudioFeatures.Tests;

public sealed class ToneAndSilenceTests
{
    [Theory]
    [InlineData(110.0)]
    [InlineData(220.0)]
    [InlineData(330.0)]
    public async Task A_tone_gives_its_f0_is_voiced_and_active(double hz)
    {
        using var scratch = new ScratchDirectory("af-tone");
        var run = await FeatureRun.ExtractAsync(scratch, Signals.Tone(hz, 2.0, amplitude: 0.3));

        Assert.Equal(50, run.Frames);
        for (var i = 1; i < run.Frames - 1; i++)
        {
            Assert.InRange(run.F0[i], hz - 2, hz + 2);
            Assert.True(run.Voicing[i] > 0.9, $"frame {i}: voicing {run.Voicing[i]}");
            Assert.Equal(1, run.Vad[i]);
        }

        Assert.Equal(run.Frames, run.Summary.VoicedFrames, tolerance: 2);
        Assert.InRange(run.Energy[25], -13.8, -13.2); // 0.3 sine: 20*log10(0.3/sqrt 2) = -13.47 dBFS, +- a part period in 25 ms
    }

    [Fact]
    public async Task Silence_is_unvoiced_inactive_and_finite()
    {
        using var scratch = new ScratchDirectory("af-silence");
        var run = await FeatureRun.ExtractAsync(scratch, Signals.Silence(2.0));

        Assert.Equal(50, run.Frames);
        Assert.All(run.AllFloats, v => Assert.True(float.IsFinite(v)));
        Assert.All(run.F0, v => Assert.Equal(0f, v));
        Assert.All(run.Voicing, v => Assert.Equal(0f, v));
        Assert.All(run.Vad, v => Assert.Equal(0, v));
        Assert.All(run.Energy, v => Assert.Equal(-120f, v));
        Assert.Equal(0, run.Summary.VoicedFrames);
        Assert.Equal(0, run.Summary.ActiveFrames);
    }

    [Theory]
    [InlineData(0.001)] // -60 dBFS
    [InlineData(0.01)] // -40 dBFS
    [InlineData(0.05)] // -26 dBFS: loud hiss is still not a voice
    public async Task White_noise_alone_is_inactive(double rms)
    {
        using var scratch = new ScratchDirectory("af-noise");
        var run = await FeatureRun.ExtractAsync(scratch, Signals.Noise(4.0, rms));

        Assert.All(run.Vad, v => Assert.Equal(0, v));
        Assert.True(run.Summary.VoicedFrames <= 2, $"{run.Summary.VoicedFrames} voiced frames in white noise");
        Assert.InRange(run.Energy.Average(), (20 * Math.Log10(rms)) - 1, (20 * Math.Log10(rms)) + 1);
    }

    [Fact]
    public async Task A_chirp_moves_through_the_mel_bands_in_order()
    {
        using var scratch = new ScratchDirectory("af-chirp");
        var run = await FeatureRun.ExtractAsync(scratch, Signals.Chirp(100, 7000, 3.0), fpsNumerator: 60);

        var argmax = Enumerable.Range(0, (int)run.Frames)
            .Select(i => Enumerable.Range(0, 80).MaxBy(b => run.Mel(i, b)))
            .ToArray();
        for (var i = 2; i < argmax.Length - 1; i++)
        {
            Assert.True(argmax[i] >= argmax[i - 1], $"frame {i}: band {argmax[i]} after {argmax[i - 1]}");
        }

        Assert.True(argmax.Distinct().Count() >= 60, $"only {argmax.Distinct().Count()} distinct bands");
        Assert.InRange(argmax[2], 0, 5);
        Assert.InRange(argmax[^2], 74, 79);
    }
}
