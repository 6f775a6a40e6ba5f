using Pipeline.Contracts.Jobs;
using Pipeline.Encoding.Content;
using Pipeline.Encoding.Emotion;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.Encoding.Tests;

public sealed class ContentEncoderTests
{
    [Fact]
    public async Task ContentIsBitIdenticalWhenOnlyTheEmotionChanges()
    {
        EncodingTools.RequireModel();
        using var scratch = new ScratchDirectory("content-vs-emotion");
        var u = SyntheticSpeech.Speak("My mom bought both maps.", scratch.Path);
        var tools = new EncodingTools();
        var ct = TestContext.Current.CancellationToken;
        var emotions = new EmotionEncoder();

        // Job A: content then a happy emotion into one folder; job B: the same audio with an angry timeline.
        var a = Path.Combine(scratch.Path, "a");
        var b = Path.Combine(scratch.Path, "b");
        var ra = await tools.Encoder.EncodeAsync(u.WavPath, 25, 1, -1, a, ContentMethod.HeadAudio, ct);
        await emotions.EncodeAsync(EmotionSpec.Constant(EmotionLabel.Happy, 0.9), 25, 1, ra.Frames, null, null, a, ct);
        var rb = await tools.Encoder.EncodeAsync(u.WavPath, 25, 1, -1, b, ContentMethod.HeadAudio, ct);
        await emotions.EncodeAsync(new EmotionSpec(EmotionSource.Requested, [new(0, EmotionLabel.Sad, 0.2), new(1, EmotionLabel.Angry, 1)]), 25, 1, rb.Frames, null, null, b, ct);

        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a, EmotionEncoder.EmotionFile)), File.ReadAllBytes(Path.Combine(b, EmotionEncoder.EmotionFile)));
        foreach (var file in ra.Files.Values)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, file)), File.ReadAllBytes(Path.Combine(b, file)));
        }
    }

    [Theory]
    [InlineData(24000, 1001)]
    [InlineData(25, 1)]
    [InlineData(30000, 1001)]
    [InlineData(60, 1)]
    public async Task FrameCountsAgreeAcrossStagesAtAnyFps(int num, int den)
    {
        EncodingTools.RequireModel();
        using var scratch = new ScratchDirectory("fps");
        var wav = scratch.File("tone.wav");
        Ffmpeg.Run("-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000:duration=3.37", "-c:a", "pcm_f32le", wav);
        var tools = new EncodingTools();
        var ct = TestContext.Current.CancellationToken;
        var expected = (long)Math.Round(Ffmpeg.Duration(wav) * num / den, MidpointRounding.AwayFromZero);

        var derived = await tools.Encoder.EncodeAsync(wav, num, den, -1, scratch.File("derived"), ContentMethod.HeadAudio, ct);
        var content = await tools.Encoder.EncodeAsync(wav, num, den, expected, scratch.File("explicit"), ContentMethod.HeadAudio, ct);
        var emotion = await new EmotionEncoder().EncodeAsync(EmotionSpec.Neutral, num, den, content.Frames, null, null, scratch.File("explicit"), ct);

        Assert.Equal(expected, derived.Frames);
        Assert.Equal(expected, content.Frames);
        Assert.Equal(expected, emotion.Frames);
        var (rows, info) = NpyReader.Load<float>(Path.Combine(scratch.File("explicit"), content.Files["visemes"]));
        Assert.Equal([expected, Visemes.Count], info.Shape);
        Assert.Equal(expected, NpyReader.Load<float>(Path.Combine(scratch.File("explicit"), emotion.Files["emotion"])).Info.Shape[0]);
        for (var f = 0; f < expected; f++)
        {
            Assert.Equal(1f, rows.AsSpan(f * Visemes.Count, Visemes.Count).ToArray().Sum(), 4);
        }
    }

    [Fact]
    public async Task PocketSphinxPathWritesPosteriorsAndTimesItself()
    {
        EncodingTools.RequirePocketSphinx();
        using var scratch = new ScratchDirectory("ps");
        var u = SyntheticSpeech.Speak("Bob made a map.", scratch.Path);
        var result = await new EncodingTools().Encoder.EncodeAsync(u.WavPath, 25, 1, -1, scratch.File("out"), ContentMethod.PocketSphinx, TestContext.Current.CancellationToken);

        Assert.True(result.PocketSphinxSeconds > 0);
        var (rows, _) = NpyReader.Load<float>(Path.Combine(scratch.File("out"), result.Files["visemes"]));
        Assert.Contains(Enumerable.Range(0, (int)result.Frames), f => ClosureScore.Best(rows.AsSpan(f * Visemes.Count, Visemes.Count)) == Visemes.PP);
        var json = File.ReadAllText(Path.Combine(scratch.File("out"), result.Files["sidecar"]));
        Assert.Contains("\"visemes\"", json);
        Assert.Contains("PocketSphinx", json);
    }

    [Fact]
    public async Task CancellationStopsPocketSphinx()
    {
        EncodingTools.RequirePocketSphinx();
        using var scratch = new ScratchDirectory("ps-cancel");
        var wav = scratch.File("long.wav");
        Ffmpeg.Run("-f", "lavfi", "-i", "anoisesrc=d=60:c=pink:a=0.2:r=16000", "-c:a", "pcm_s16le", wav);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var started = DateTime.UtcNow;
        // Cancelled while ffmpeg converts: the media layer's MediaException(Cancelled); while PocketSphinx runs: OCE.
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            new EncodingTools().Encoder.EncodeAsync(wav, 25, 1, -1, scratch.File("out"), ContentMethod.PocketSphinx, cts.Token));
        Assert.True(error is OperationCanceledException or Pipeline.Media.MediaException { Kind: Pipeline.Media.MediaErrorKind.Cancelled }, error.ToString());
        if (Directory.Exists(scratch.File("out")))
        {
            Assert.Empty(Directory.GetFiles(scratch.File("out"), "pocketsphinx-*.wav")); // the 16 kHz copy is cleaned up
            Assert.Empty(Directory.GetFiles(scratch.File("out"), "track-*.f32")); // and so is the decoded track
        }
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void MfccContextConcatenatesNeighboursWithClampedEdges()
    {
        using var scratch = new ScratchDirectory("ctx");
        const int frames = 4, columns = 39;
        var mfcc = new float[frames * columns];
        for (var f = 0; f < frames; f++)
        {
            for (var c = 0; c < columns; c++)
            {
                mfcc[(f * columns) + c] = (f * 100) + c;
            }
        }

        var path = scratch.File(MfccContext.FileName);
        Assert.Equal(5 * 39, MfccContext.Write(path, mfcc, columns));
        var (data, info) = NpyReader.Load<float>(path);
        Assert.Equal([frames, 195L], info.Shape);
        // Frame 0: neighbours -2, -1 clamp to 0; frame 3: +1, +2 clamp to 3.
        Assert.Equal([0f, 0f, 0f, 100f, 200f], Enumerable.Range(0, 5).Select(k => data[(0 * 195) + (k * 39)]).ToArray());
        Assert.Equal([100f, 200f, 300f, 300f, 300f], Enumerable.Range(0, 5).Select(k => data[(3 * 195) + (k * 39)]).ToArray());

        Assert.Equal(5 * 13, MfccContext.Write(path, mfcc, columns, columnsPerFrame: 13));
        Assert.Equal([frames, 65L], NpyReader.Load<float>(path).Info.Shape);
    }
}
