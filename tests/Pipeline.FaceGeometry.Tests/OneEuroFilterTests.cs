using Pipeline.FaceGeometry;

namespace Pipeline.FaceGeometry.Tests;

/// <summary>Signals are in inter-ocular units (IOD) at 25 fps, the scale the presets are tuned for.</summary>
public sealed class OneEuroFilterTests
{
    private const double Fps = 25;

    [Fact]
    public void ConstantInputStaysConstant()
    {
        const int channels = 136;
        var frame = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            frame[c] = 17.25f - 0.5f * c;
        }

        var filter = new OneEuroFilter(channels, OneEuroParameters.Stable);
        var output = new float[channels];
        for (var f = 0; f < 50; f++)
        {
            filter.Filter(frame, f / Fps, output);
            Assert.Equal(frame, output);
        }

        var series = new float[50 * channels];
        for (var f = 0; f < 50; f++)
        {
            frame.CopyTo(series, f * channels);
        }

        var expected = (float[])series.Clone();
        OneEuroFilter.SmoothZeroPhase(series, 50, channels, Fps, OneEuroParameters.Mouth);
        Assert.Equal(expected, series);
    }

    [Fact]
    public void AStepConverges()
    {
        const int frames = 100;
        var step = new float[frames];
        step.AsSpan(20).Fill(1f);

        var causal = Causal(step, OneEuroParameters.Stable);
        Assert.Equal(0f, causal[19]);
        Assert.True(causal[20] is > 0f and < 1f);
        Assert.Equal(1f, causal[20 + 25], 1e-3f); // within 0.1% one second after the step
        for (var f = 21; f < frames; f++)
        {
            Assert.True(causal[f] >= causal[f - 1], "monotonic approach, no overshoot");
            Assert.True(causal[f] <= 1f);
        }

        var zeroPhase = (float[])step.Clone();
        OneEuroFilter.SmoothZeroPhase(zeroPhase, frames, 1, Fps, OneEuroParameters.Stable);
        Assert.Equal(0f, zeroPhase[0], 1e-3f);
        Assert.Equal(1f, zeroPhase[^1], 1e-3f);
        Assert.Equal(0.5f, 0.5f * (zeroPhase[19] + zeroPhase[20]), 0.05f); // centred on the step, not after it
    }

    [Fact]
    public void SmoothsJitterOnSlowMotionAndOnlyTheCausalPassLags()
    {
        const int frames = 500;
        var clean = new float[frames];
        for (var f = 0; f < frames; f++)
        {
            clean[f] = (float)(0.05 * Math.Sin(2 * Math.PI * 0.5 * f / Fps)); // a slow head sway
        }

        var noise = Signals.Noise(frames, 0.01, 21); // ~1 px on a 100 px eye line
        var noisy = new float[frames];
        for (var f = 0; f < frames; f++)
        {
            noisy[f] = clean[f] + noise[f];
        }

        var causal = Causal(noisy, OneEuroParameters.Stable);
        var zeroPhase = (float[])noisy.Clone();
        OneEuroFilter.SmoothZeroPhase(zeroPhase, frames, 1, Fps, OneEuroParameters.Stable);

        var input = Signals.Jitter(noisy, clean, 10);
        var causalJitter = Signals.Jitter(causal, clean, 10);
        var zeroPhaseJitter = Signals.Jitter(zeroPhase, clean, 10);
        var causalLag = Signals.PeakLag(causal, clean, 12);
        var zeroPhaseLag = Signals.PeakLag(zeroPhase, clean, 12);
        Report($"stable preset, 0.5 Hz sway ±0.05 IOD + 0.01 noise: jitter {input:0.0000} -> causal {causalJitter:0.0000} ({causalJitter / input:P0}), " +
               $"zero-phase {zeroPhaseJitter:0.0000} ({zeroPhaseJitter / input:P0}); correlation peak lag causal {causalLag}, zero-phase {zeroPhaseLag} frames");

        Assert.True(causalJitter < 0.5 * input);
        Assert.True(zeroPhaseJitter < 0.5 * input);
        Assert.Equal(0, zeroPhaseLag);
        Assert.True(causalLag >= 1, $"the causal filter should lag, peak at {causalLag}");
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.10)]
    [InlineData(0.20)]
    public void MouthPresetKeepsFastLipMotion(double openingIod)
    {
        // 4 Hz opening and closing (syllable rate) at 25 fps: barely six frames a cycle.
        const int frames = 250;
        const double hz = 4;
        var lip = new float[frames];
        for (var f = 0; f < frames; f++)
        {
            lip[f] = (float)(openingIod * 0.5 * (1 - Math.Cos(2 * Math.PI * hz * f / Fps)));
        }

        var zeroPhase = (float[])lip.Clone();
        OneEuroFilter.SmoothZeroPhase(zeroPhase, frames, 1, Fps, OneEuroParameters.Mouth);
        var causal = Causal(lip, OneEuroParameters.Mouth);

        var reference = Signals.Sinusoid(lip, Fps, hz, 25, frames - 25);
        var zp = Signals.Sinusoid(zeroPhase, Fps, hz, 25, frames - 25);
        var c = Signals.Sinusoid(causal, Fps, hz, 25, frames - 25);
        var msPerRadian = 1000 / (2 * Math.PI * hz);
        var zpLagMs = (reference.Phase - zp.Phase) * msPerRadian;
        var causalLagMs = (reference.Phase - c.Phase) * msPerRadian;
        var stable = Signals.Sinusoid(Causal(lip, OneEuroParameters.Stable), Fps, hz, 25, frames - 25);
        Report($"mouth preset, 4 Hz opening of {openingIod} IOD: zero-phase keeps {zp.Amplitude / reference.Amplitude:P1} (lag {zpLagMs:0.0} ms), " +
               $"causal {c.Amplitude / reference.Amplitude:P1} (lag {causalLagMs:0.0} ms); the stable preset would keep {stable.Amplitude / reference.Amplitude:P1}");

        Assert.True(zp.Amplitude >= 0.9 * reference.Amplitude, $"zero-phase kept {zp.Amplitude / reference.Amplitude:P1}");
        Assert.True(Math.Abs(zpLagMs) < 2, $"zero-phase lag {zpLagMs} ms");
    }

    [Fact]
    public void MouthPresetStillReducesJitterOnAStillMouth()
    {
        const int frames = 500;
        var still = Signals.Noise(frames, 0.01, 8);
        var zeroPhase = (float[])still.Clone();
        OneEuroFilter.SmoothZeroPhase(zeroPhase, frames, 1, Fps, OneEuroParameters.Mouth);
        var clean = new float[frames];
        var ratio = Signals.Jitter(zeroPhase, clean, 10) / Signals.Jitter(still, clean, 10);
        Report($"mouth preset on a still mouth with 0.01 IOD noise: jitter kept {ratio:P0}");
        Assert.True(ratio < 0.8);
    }

    [Fact]
    public void PerChannelParametersFollowTheFaceLayout()
    {
        var perChannel = OneEuroParameters.ForLandmarks68(OneEuroParameters.Stable, OneEuroParameters.Mouth);
        Assert.Equal(Landmarks68.FloatCount, perChannel.Length);
        Assert.Equal(OneEuroParameters.Mouth, perChannel[2 * Landmarks68.InnerLowerLipCenter + 1]);
        Assert.Equal(OneEuroParameters.Mouth, perChannel[2 * Landmarks68.Chin]);
        Assert.Equal(OneEuroParameters.Stable, perChannel[2 * Landmarks68.NoseTip]);
        Assert.Equal(OneEuroParameters.Stable, perChannel[2 * Landmarks68.JawRight + 1]);

        // A face-sized buffer smoothed per channel equals each channel smoothed on its own.
        const int frames = 60;
        var random = new Random(4);
        var series = new float[frames * Landmarks68.FloatCount];
        Faces.AddNoise(series, 0.05, random);
        var whole = (float[])series.Clone();
        OneEuroFilter.SmoothZeroPhase(whole, frames, Fps, perChannel);
        foreach (var channel in new[] { 0, 17, 2 * Landmarks68.Chin, 2 * Landmarks68.InnerLowerLipCenter + 1 })
        {
            var single = new float[frames];
            for (var f = 0; f < frames; f++)
            {
                single[f] = series[f * Landmarks68.FloatCount + channel];
            }

            OneEuroFilter.SmoothZeroPhase(single, frames, 1, Fps, perChannel[channel]);
            for (var f = 0; f < frames; f++)
            {
                Assert.Equal(single[f], whole[f * Landmarks68.FloatCount + channel]);
            }
        }
    }

    [Fact]
    public void ForScaleMakesPixelsBehaveLikeInterOcularUnits()
    {
        const int frames = 200;
        const float iodPx = 150f;
        var noise = Signals.Noise(frames, 0.01, 2);
        var units = new float[frames];
        var pixels = new float[frames];
        for (var f = 0; f < frames; f++)
        {
            units[f] = (float)(0.1 * Math.Sin(2 * Math.PI * 3 * f / Fps)) + noise[f];
            pixels[f] = units[f] * iodPx;
        }

        OneEuroFilter.SmoothZeroPhase(units, frames, 1, Fps, OneEuroParameters.Mouth);
        OneEuroFilter.SmoothZeroPhase(pixels, frames, 1, Fps, OneEuroParameters.Mouth.ForScale(iodPx));
        for (var f = 0; f < frames; f++)
        {
            Assert.Equal(units[f] * iodPx, pixels[f], 1e-3f);
        }
    }

    [Fact]
    public void TimestampsMustIncreaseAndResetForgets()
    {
        var filter = new OneEuroFilter(2, OneEuroParameters.Stable);
        var output = new float[2];
        filter.Filter([0f, 0f], 0.0, output);
        filter.Filter([1f, 1f], 0.04, output);
        Assert.True(output[0] is > 0f and < 1f);
        Assert.Throws<ArgumentException>(() => filter.Filter([1f, 1f], 0.04, output));

        filter.Reset();
        filter.Filter([5f, 6f], 0.0, output);
        Assert.Equal([5f, 6f], output);

        Assert.Throws<ArgumentException>(() => new OneEuroFilter(1, new OneEuroParameters(0, 1)));
    }

    [Fact]
    public void FilterAllocatesNothing()
    {
        var filter = new OneEuroFilter(Landmarks68.FloatCount, OneEuroParameters.Stable);
        var input = CanonicalFace.Points.ToArray();
        var output = new float[input.Length];
        filter.Filter(input, 0, output);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var f = 1; f < 100; f++)
        {
            filter.Filter(input, f / Fps, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static float[] Causal(float[] input, OneEuroParameters p)
    {
        var filter = new OneEuroFilter(1, p);
        var output = new float[input.Length];
        for (var f = 0; f < input.Length; f++)
        {
            filter.Filter(input.AsSpan(f, 1), f / Fps, output.AsSpan(f, 1));
        }

        return output;
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
