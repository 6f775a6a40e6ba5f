using Pipeline.Contracts.Jobs;
using Pipeline.Encoding.Emotion;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.Encoding.Tests;

public sealed class EmotionEncoderTests
{
    private static async Task<float[]> EncodeAsync(EmotionSpec spec, long frames, int num = 25, int den = 1, float[]? energy = null, float[]? f0 = null)
    {
        using var scratch = new ScratchDirectory("emotion");
        var result = await new EmotionEncoder().EncodeAsync(spec, num, den, frames, energy, f0, scratch.Path, TestContext.Current.CancellationToken);
        Assert.Equal(frames, result.Frames);
        Assert.True(File.Exists(Path.Combine(scratch.Path, result.Files["sidecar"])));
        var (data, info) = NpyReader.Load<float>(Path.Combine(scratch.Path, result.Files["emotion"]));
        Assert.Equal([frames, EmotionVector.Length], info.Shape);
        return data;
    }

    [Fact]
    public async Task ConstantNeutralAtZeroIntensityIsExactlyTheNeutralOneHot()
    {
        var rows = await EncodeAsync(EmotionSpec.Neutral, 50);
        float[] expected = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        for (var f = 0; f < 50; f++)
        {
            Assert.Equal(expected, rows.AsSpan(f * 11, 11).ToArray());
        }
    }

    [Fact]
    public async Task ConstantEmotionSetsClassIntensityAndCircumplex()
    {
        var rows = await EncodeAsync(EmotionSpec.Constant(EmotionLabel.Happy, 0.5), 3);
        Assert.Equal(1f, rows[(int)EmotionLabel.Happy]);
        Assert.Equal(0.5f, rows[EmotionVector.Intensity]);
        Assert.True(rows[EmotionVector.Valence] > 0 && rows[EmotionVector.Arousal] > 0);
    }

    [Fact]
    public async Task TimelineBlendsContinuouslyAndHitsEachKeyAtItsTime()
    {
        EmotionKey[] keys = [new(0, EmotionLabel.Neutral, 0), new(2, EmotionLabel.Happy, 1), new(3, EmotionLabel.Angry, 0.8), new(5, EmotionLabel.Sad, 0.6)];
        const int fps = 25;
        var rows = await EncodeAsync(new EmotionSpec(EmotionSource.Requested, keys), 8 * fps);

        // Continuity: no component jumps between frames (the largest swing, valence 0.8 → -0.48 over a 0.5 s raised
        // cosine at 25 fps, moves at most π/2 · 1.28 / 12.5 ≈ 0.16 per frame).
        for (var f = 1; f < 8 * fps; f++)
        {
            for (var c = 0; c < EmotionVector.Length; c++)
            {
                Assert.True(Math.Abs(rows[(f * 11) + c] - rows[((f - 1) * 11) + c]) < 0.25, $"frame {f} component {EmotionVector.Columns[c]} jumps");
            }
        }

        // Each key is reached by its time: the first frame sampled at or after the key's time is exactly the key.
        foreach (var key in keys)
        {
            var f = (int)Math.Ceiling((key.AtSeconds * fps) - 0.5);
            var row = rows.AsSpan(f * 11, 11).ToArray();
            var expected = new float[11];
            EmotionVector.FromKey(key.Label, key.Intensity, expected);
            Assert.Equal(expected, row);
        }

        // Class probabilities stay a distribution throughout.
        for (var f = 0; f < 8 * fps; f++)
        {
            Assert.Equal(1f, rows.AsSpan(f * 11, 8).ToArray().Sum(), 4);
        }

        // Halfway through the 0.5 s blend into "happy" the two classes share the frame.
        var mid = (int)Math.Round(1.75 * fps);
        Assert.InRange(rows[(mid * 11) + (int)EmotionLabel.Happy], 0.3f, 0.7f);
    }

    [Fact]
    public async Task LouderHigherPitchedSpeechHasHigherArousalThanFlatQuietSpeech()
    {
        const int frames = 100;
        var quietEnergy = new float[frames];
        var quietF0 = new float[frames];
        var loudEnergy = new float[frames];
        var loudF0 = new float[frames];
        for (var f = 0; f < frames; f++)
        {
            quietEnergy[f] = -38;
            quietF0[f] = f % 10 < 7 ? 110 : 0; // flat, low
            loudEnergy[f] = -14;
            loudF0[f] = f % 10 < 7 ? (float)(240 + (60 * Math.Sin(f / 3.0))) : 0; // high, moving
        }

        var quiet = await EncodeAsync(new EmotionSpec(EmotionSource.FromAudio, []), frames, energy: quietEnergy, f0: quietF0);
        var loud = await EncodeAsync(new EmotionSpec(EmotionSource.FromAudio, []), frames, energy: loudEnergy, f0: loudF0);

        var quietArousal = Enumerable.Range(0, frames).Average(f => quiet[(f * 11) + EmotionVector.Arousal]);
        var loudArousal = Enumerable.Range(0, frames).Average(f => loud[(f * 11) + EmotionVector.Arousal]);
        Assert.True(loudArousal > quietArousal + 0.5, $"loud {loudArousal:0.00} vs quiet {quietArousal:0.00}");
        Assert.True(loudArousal > 0 && quietArousal < 0);
        for (var f = 0; f < frames; f++)
        {
            Assert.Equal(1f, loud.AsSpan(f * 11, 8).ToArray().Sum(), 4);
            Assert.InRange(loud[(f * 11) + EmotionVector.Intensity], 0f, 1f);
        }
    }

    [Fact]
    public async Task FromAudioWithoutProsodyOrWithWrongLengthsIsAClearError()
    {
        var spec = new EmotionSpec(EmotionSource.FromAudio, []);
        await Assert.ThrowsAsync<ArgumentException>(() => EncodeAsync(spec, 10));
        await Assert.ThrowsAsync<ArgumentException>(() => EncodeAsync(spec, 10, energy: new float[9], f0: new float[10]));
    }
}
