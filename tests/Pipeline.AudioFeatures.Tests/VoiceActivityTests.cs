using Pipeline.TestSupport;

namespace Pipeline.AudioFeatures.Tests;

public sealed class VoiceActivityTests
{
    private const string Text =
        "The quick brown fox jumps over the lazy dog. After a short pause, we speak again. " +
        "Maybe, just maybe, the people will be pleased; bob bought a map, and paper pens. Stop. Go!";

    [Theory]
    [InlineData(25, 1, 0.0)]
    [InlineData(30000, 1001, 0.0)]
    [InlineData(25, 1, 0.001)] // -60 dBFS room noise under the speech and in the pauses
    [InlineData(60, 1, 0.003)] // -50 dBFS
    public async Task Agrees_with_synthetic_speech_phoneme_timing(int numerator, int denominator, double noiseRms)
    {
        using var scratch = new ScratchDirectory("af-vad");
        var utterance = SyntheticSpeech.Speak(Text, scratch.Path);
        var speech = AudioFiles.Decode16kMono(utterance.WavPath, scratch);

        // Half a second of silence either side, so the leading and trailing pauses are tested too.
        var lead = Signals.Silence(0.5);
        var samples = Signals.Concat(lead, speech, Signals.Silence(0.5));
        if (noiseRms > 0)
        {
            samples = Signals.Add(samples, Signals.Noise(samples.Length / 16000.0, noiseRms, seed: 3));
        }

        var run = await FeatureRun.ExtractAsync(scratch, samples, numerator, denominator);
        var fps = (double)numerator / denominator;
        var truth = new bool[run.Frames];
        var boundary = new bool[run.Frames];
        for (var i = 0; i < run.Frames; i++)
        {
            var t = ((i + 0.5) / fps) - 0.5;
            truth[i] = utterance.Phonemes.Any(p => !p.IsPause && p.StartSeconds <= t && t < p.EndSeconds);
        }

        for (var i = 1; i < run.Frames; i++)
        {
            if (truth[i] != truth[i - 1])
            {
                boundary[i] = boundary[i - 1] = true;
            }
        }

        var agree = Enumerable.Range(0, (int)run.Frames).Count(i => truth[i] == (run.Vad[i] == 1));
        var away = Enumerable.Range(0, (int)run.Frames).Where(i => !boundary[i]).ToArray();
        var agreeAway = away.Count(i => truth[i] == (run.Vad[i] == 1));
        var rate = (double)agree / run.Frames;
        var pauses = utterance.Phonemes.Where(p => p.IsPause).Select(p => $"{p.StartSeconds:F2}+{p.EndSeconds - p.StartSeconds:F2}");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"fps {fps:F3}, noise {noiseRms}: VAD agrees on {agree}/{run.Frames} frames = {rate:P1}; " +
            $"away from boundaries (+-1 frame) {agreeAway}/{away.Length} = {(double)agreeAway / away.Length:P1}; pauses at {string.Join(", ", pauses)}");
        TestContext.Current.TestOutputHelper?.WriteLine("truth: " + string.Concat(truth.Select(b => b ? '#' : '.')));
        TestContext.Current.TestOutputHelper?.WriteLine("vad:   " + string.Concat(run.Vad.Select(b => b == 1 ? '#' : '.')));
        Assert.True(rate >= 0.95, $"VAD agreement {rate:P1} is under 95%");
    }

    [Theory]
    [InlineData("audio/en_radio31.wav")]
    [InlineData("audio/mead_m006_16k.wav")]
    [InlineData("audio/long_sun_22s.wav")]
    public async Task Reports_agreement_on_real_speech(string clip)
    {
        // Not asserted: nobody labelled this clip. The reference is the pause structure read off the energy
        // curve offline (two-pass, whole-file statistics), which the streaming detector cannot see.
        var path = TestData.Require(clip);
        using var scratch = new ScratchDirectory("af-real");
        var samples = AudioFiles.Decode16kMono(path, scratch);
        var run = await FeatureRun.ExtractAsync(scratch, samples);

        var reference = EnergyReference(run.Energy);
        var agree = Enumerable.Range(0, (int)run.Frames).Count(i => reference[i] == (run.Vad[i] == 1));
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{clip}: VAD agrees with the energy-plot pauses on {agree}/{run.Frames} frames = {(double)agree / run.Frames:P1}; active {run.Summary.ActiveFrames}, voiced {run.Summary.VoicedFrames}");
        output?.WriteLine("energy: " + string.Concat(run.Energy.Select(e => " .:-=+*#%@"[Math.Clamp((int)((e + 70) / 7), 0, 9)])));
        output?.WriteLine("ref:    " + string.Concat(reference.Select(b => b ? '#' : '.')));
        output?.WriteLine("vad:    " + string.Concat(run.Vad.Select(b => b == 1 ? '#' : '.')));
        output?.WriteLine("f0>0:   " + string.Concat(run.F0.Select(f => f > 0 ? '#' : '.')));
        Assert.Equal(run.Frames, run.Vad.Length);
    }

    /// <summary>
    /// Pauses as a person reads them off an energy plot: a threshold a third of the way from the noise floor
    /// (10th percentile) to the speech level (90th percentile) in dB, gaps under 200 ms bridged, blips under 60 ms dropped.
    /// </summary>
    private static bool[] EnergyReference(float[] energy)
    {
        var sorted = energy.Order().ToArray();
        var floor = sorted[sorted.Length / 10];
        var level = sorted[sorted.Length * 9 / 10];
        var threshold = floor + ((level - floor) / 3);
        var on = energy.Select(e => e > threshold).ToArray();
        Fill(on, false, 5);
        Fill(on, true, 1);
        return on;
    }

    /// <summary>Flips runs of <paramref name="value"/> no longer than <paramref name="maxRun"/> frames that sit between the opposite value.</summary>
    private static void Fill(bool[] x, bool value, int maxRun)
    {
        for (var i = 0; i < x.Length;)
        {
            if (x[i] != value)
            {
                i++;
                continue;
            }

            var j = i;
            while (j < x.Length && x[j] == value)
            {
                j++;
            }

            if (i > 0 && j < x.Length && j - i <= maxRun)
            {
                Array.Fill(x, !value, i, j - i);
            }

            i = j;
        }
    }
}
