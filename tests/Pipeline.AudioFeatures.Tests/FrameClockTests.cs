using Pipeline.TestSupport;

namespace Pipeline.AudioFeatures.Tests;

public sealed class FrameClockTests
{
    public static TheoryData<int, int> Rates => new() { { 24000, 1001 }, { 25, 1 }, { 30000, 1001 }, { 30, 1 }, { 60, 1 }, { 50, 1 }, { 12, 1 } };

    [Theory]
    [MemberData(nameof(Rates))]
    public async Task Frame_count_and_timing_follow_the_video_clock(int numerator, int denominator)
    {
        // Quiet noise, then a tone burst from exactly 1.0 s to 2.5 s, then noise again; 3.5 s + 37 samples.
        var samples = Signals.Add(
            Signals.Concat(Signals.Silence(1.0), Signals.Tone(220, 1.5, 0.3), Signals.Silence(1.0), new float[37]),
            Signals.Noise(3.5 + (37.0 / 16000), 0.001, seed: 7));
        using var scratch = new ScratchDirectory("af-clock");
        var run = await FeatureRun.ExtractAsync(scratch, samples, numerator, denominator);

        var fps = (double)numerator / denominator;
        var expected = (long)Math.Floor((samples.Length * fps / 16000) + 0.5);
        Assert.Equal(expected, run.Frames);
        Assert.Equal(fps, run.Summary.Fps, 9);
        Assert.Equal(expected * 80, run.Mel80.Length);
        Assert.Equal(expected * 39, run.Mfcc.Length);
        Assert.Equal(expected, run.Energy.Length);
        Assert.Equal(expected, run.F0.Length);
        Assert.Equal(expected, run.Voicing.Length);
        Assert.Equal(expected, run.Vad.Length);
        Assert.Equal(1 + (samples.Length / 200), run.MelFrames);

        // The frame holding t = 1.0 s is floor(fps); the first active frame is that one, give or take one.
        var onset = Array.IndexOf(run.Vad, (byte)1);
        var onsetFrame = (int)Math.Floor(1.0 * fps);
        Assert.InRange(onset, onsetFrame - 1, onsetFrame + 1);
        var firstVoiced = Array.FindIndex(run.F0, f => f > 0);
        Assert.InRange(firstVoiced, onsetFrame - 1, onsetFrame + 1);

        // The offset at 2.5 s is held by the 200 ms hangover, then released.
        var offset = Array.LastIndexOf(run.Vad, (byte)1);
        Assert.InRange(offset, (int)Math.Floor(2.5 * fps) - 1, (int)Math.Ceiling(2.72 * fps) + 1);
        var lastVoiced = Array.FindLastIndex(run.F0, f => f > 0);
        Assert.InRange(lastVoiced, (int)Math.Floor(2.5 * fps) - 1, (int)Math.Floor(2.5 * fps) + 1);

        // Everything between is active: no chattering inside the burst.
        Assert.All(run.Vad[onset..offset], v => Assert.Equal(1, v));
    }

    [Fact]
    public async Task Empty_input_gives_valid_empty_arrays()
    {
        using var scratch = new ScratchDirectory("af-empty");
        var run = await FeatureRun.ExtractAsync(scratch, []);

        Assert.Equal(0, run.Frames);
        Assert.Equal(0, run.MelFrames);
        Assert.Empty(run.Mel80);
        Assert.Empty(run.Vad);
        Assert.Equal(0, run.Summary.DurationSeconds);
        using var mel = Pipeline.Features.NpyReader.Open(Path.Combine(run.Folder, "mel80.npy"));
        Assert.Equal([0L, 80L], mel.Info.Shape);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(319)] // 19.9 ms: just under half a 25 fps frame
    [InlineData(320)] // exactly half a frame: rounds up to one frame
    [InlineData(641)]
    public async Task Very_short_input_is_handled(int samples)
    {
        using var scratch = new ScratchDirectory("af-short");
        var run = await FeatureRun.ExtractAsync(scratch, Signals.Tone(220, samples / 16000.0, 0.3));

        Assert.Equal(samples >= 320 ? (samples + 320) / 640 : 0, run.Frames);
        Assert.Equal(1 + (samples / 200), run.MelFrames);
        Assert.All(run.AllFloats, v => Assert.True(float.IsFinite(v)));
        Assert.All(run.Wav2Lip, v => Assert.InRange(v, -4f, 4f));
    }
}
