using Pipeline.Contracts.Jobs;
using Pipeline.Encoding.Content;
using Pipeline.Encoding.Emotion;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.Encoding.Tests;

/// <summary>Long clips are encoded window by window; these check that the windows change nothing that matters.</summary>
public sealed class ChunkedContentTests
{
    private const double WindowSeconds = 8;
    private static readonly FrameClock Clock25 = new(25, 1);

    [Fact]
    public void WindowsTileTheClipAndCutInThePauses()
    {
        const int frames = 25 * 200; // 200 s
        var energy = new float[frames];
        Array.Fill(energy, -20f);
        int[] pauses = [25 * 55, 25 * 108, 25 * 163, 25 * 190];
        foreach (var p in pauses)
        {
            energy.AsSpan(p - 3, 7).Fill(-80f);
        }

        var chunks = ContentChunkPlanner.Plan(frames, Clock25, energy, maxSeconds: 60, searchSeconds: 10);

        Assert.Equal(0, chunks[0].First);
        Assert.Equal(frames, chunks[^1].End);
        for (var i = 1; i < chunks.Count; i++)
        {
            Assert.Equal(chunks[i - 1].End, chunks[i].First);
        }

        Assert.All(chunks, c => Assert.InRange(c.Count, 1, 25 * 60));
        // Every cut lies inside a pause (the 7 quiet frames around it).
        foreach (var cut in chunks.Skip(1).Select(c => c.First))
        {
            Assert.Contains(pauses, p => Math.Abs(cut - p) <= 3);
        }
    }

    [Fact]
    public void WithoutEnergyTheWindowsAreFixedLength()
    {
        var chunks = ContentChunkPlanner.Plan(1000, Clock25, ReadOnlySpan<float>.Empty, maxSeconds: 10, searchSeconds: 2);
        Assert.Equal([0L, 250L, 500L, 750L], chunks.Select(c => c.First).ToArray());
        Assert.Equal(1000, chunks.Sum(c => c.Count));
    }

    [Fact]
    public void SmoothingAStreamOfWindowsEqualsSmoothingTheWholeGrid()
    {
        using var scratch = new ScratchDirectory("smoother");
        const int frames = 101;
        var random = new Random(7);
        var spans = Enumerable.Range(0, 300).Select(_ => (Start: random.NextDouble() * 4.2, Length: random.NextDouble() * 0.2, Viseme: random.Next(Visemes.Count))).ToArray();

        var whole = new VisemePosteriors(frames, Clock25);
        foreach (var s in spans)
        {
            whole.AddSpan(s.Start, s.Start + s.Length, s.Viseme);
        }

        whole.Finish(0.25f);

        var path = scratch.File("streamed.npy");
        using (var writer = NpyWriter.Create(path, NpyDType.Float32, Visemes.Count))
        {
            var smoother = new RowSmoother(writer, 0.25f);
            foreach (var (first, count) in new[] { (0L, 37), (37L, 43), (80L, 1), (81L, 20) })
            {
                var window = new VisemePosteriors(count, Clock25, first);
                foreach (var s in spans)
                {
                    window.AddSpan(s.Start, s.Start + s.Length, s.Viseme); // clipped to the window
                }

                window.CloseGapsOnly();
                smoother.Push(window);
            }

            smoother.Complete();
        }

        var streamed = NpyReader.Load<float>(path).Data;
        Assert.Equal(whole.Data.Length, streamed.Length);
        for (var i = 0; i < streamed.Length; i++)
        {
            Assert.Equal(whole.Data[i], streamed[i], 5);
        }
    }

    [Fact]
    public async Task ShortWindowsCutInPausesKeepTheClosuresAndTheFrames()
    {
        EncodingTools.RequireModel();
        EncodingTools.RequirePocketSphinx();
        Assert.SkipUnless(SyntheticSpeech.IsAvailable(), "espeak-ng with the mbrola us1 voice is not installed");
        using var scratch = new ScratchDirectory("chunked");
        var u = SyntheticSpeech.Speak(string.Join(' ', SyntheticCorpus.Sentences), scratch.Path);
        var frames = (long)Math.Round(u.DurationSeconds * 25, MidpointRounding.AwayFromZero);
        var energy = EnergyFromPhonemes(u, frames);
        var ct = TestContext.Current.CancellationToken;

        // ~14 s of speech in windows of at most 8 s (production: 60 s), against one window for the whole clip.
        var chunked = new EncodingTools(new ContentEncoderOptions { ChunkSeconds = WindowSeconds, ChunkSearchSeconds = 2 });
        var whole = new EncodingTools(new ContentEncoderOptions { ChunkSeconds = 3600 });
        var windows = ContentChunkPlanner.Plan(frames, Clock25, energy, WindowSeconds, 2).Count;
        Assert.True(windows >= 2, $"{windows} windows");

        foreach (var method in (ContentMethod[])[ContentMethod.HeadAudio, ContentMethod.PocketSphinx])
        {
            var a = await chunked.Encoder.EncodeAsync(u.WavPath, 25, 1, frames, scratch.File($"chunked-{method}"), method, energy, ct);
            var b = await whole.Encoder.EncodeAsync(u.WavPath, 25, 1, frames, scratch.File($"whole-{method}"), method, energy, ct);
            var rowsA = NpyReader.Load<float>(Path.Combine(scratch.File($"chunked-{method}"), a.Files["visemes"])).Data;
            var rowsB = NpyReader.Load<float>(Path.Combine(scratch.File($"whole-{method}"), b.Files["visemes"])).Data;
            Assert.Equal(frames * Visemes.Count, rowsA.Length);
            Assert.Equal(rowsB.Length, rowsA.Length);

            var score = ClosureScore.Score(rowsA, (int)frames, 25, u.Phonemes);
            var wholeScore = ClosureScore.Score(rowsB, (int)frames, 25, u.Phonemes);
            TestContext.Current.TestOutputHelper?.WriteLine($"{method}: {windows} windows, closures {score.DetectedArgmax}/{score.Closures}; one window {wholeScore.DetectedArgmax}/{wholeScore.Closures}");
            if (method == ContentMethod.HeadAudio)
            {
                // HeadAudio classifies each hop on its own: only its VAD gate restarts at a cut.
                var agree = Enumerable.Range(0, (int)frames).Count(f =>
                    ClosureScore.Best(rowsA.AsSpan(f * Visemes.Count, Visemes.Count)) == ClosureScore.Best(rowsB.AsSpan(f * Visemes.Count, Visemes.Count)));
                Assert.True(agree >= 0.95 * frames, $"argmax agrees on {agree}/{frames} frames");
            }
            else
            {
                Assert.True(score.ClosureRate >= 0.8, $"closures {score.DetectedArgmax}/{score.Closures} with {windows} windows");
            }
        }
    }

    [Fact]
    public void MfccContextStreamedFromAFileEqualsTheInMemoryOne()
    {
        using var scratch = new ScratchDirectory("ctx-stream");
        const int frames = 57, columns = 39;
        var mfcc = Enumerable.Range(0, frames * columns).Select(i => (float)Math.Sin(i * 0.37)).ToArray();
        var source = scratch.File("mfcc.npy");
        using (var writer = NpyWriter.Create(source, NpyDType.Float32, columns))
        {
            writer.Write(mfcc);
        }

        MfccContext.Write(scratch.File("memory.npy"), mfcc, columns);
        using (var reader = NpyReader.Open(source))
        {
            Assert.Equal(195, MfccContext.Write(scratch.File("streamed.npy"), reader));
        }

        Assert.Equal(File.ReadAllBytes(scratch.File("memory.npy")), File.ReadAllBytes(scratch.File("streamed.npy")));
    }

    [Fact]
    public async Task EmotionWrittenInBlocksEqualsOneRender()
    {
        using var scratch = new ScratchDirectory("emotion-blocks");
        const int frames = 9000; // blocks of 4096: the blend before the 170 s key crosses frame 4096
        var spec = new EmotionSpec(EmotionSource.Requested, [new(0, EmotionLabel.Sad, 0.3), new(164, EmotionLabel.Happy, 1), new(170, EmotionLabel.Angry, 0.8)]);
        await new EmotionEncoder().EncodeAsync(spec, 25, 1, frames, null, null, scratch.Path, TestContext.Current.CancellationToken);

        var expected = new float[frames * EmotionVector.Length];
        EmotionTimeline.Render(spec.Timeline, 25, expected);
        Assert.Equal(expected, NpyReader.Load<float>(Path.Combine(scratch.Path, EmotionEncoder.EmotionFile)).Data);
    }

    [Fact]
    public async Task ProsodyWrittenInBlocksEqualsOneEstimate()
    {
        using var scratch = new ScratchDirectory("prosody-blocks");
        const int frames = 9000;
        var energy = Enumerable.Range(0, frames).Select(f => (float)(-35 + (20 * Math.Sin(f * 0.01)))).ToArray();
        var f0 = Enumerable.Range(0, frames).Select(f => f % 7 == 0 ? 0f : (float)(140 + (40 * Math.Sin(f * 0.003)))).ToArray();
        await new EmotionEncoder().EncodeAsync(new EmotionSpec(EmotionSource.FromAudio, []), 25, 1, frames, energy, f0, scratch.Path, TestContext.Current.CancellationToken);

        var expected = new float[frames * EmotionVector.Length];
        ProsodyEmotionEstimator.Estimate(energy, f0, 25, expected);
        Assert.Equal(expected, NpyReader.Load<float>(Path.Combine(scratch.Path, EmotionEncoder.EmotionFile)).Data);
    }

    // A stand-in for the features stage's energy: speech loud, the synthesiser's pauses silent.
    private static float[] EnergyFromPhonemes(SyntheticUtterance u, long frames)
    {
        var energy = new float[frames];
        Array.Fill(energy, -90f);
        foreach (var p in u.Phonemes.Where(p => !p.IsPause))
        {
            for (var f = (int)Math.Floor(p.StartSeconds * 25); f < Math.Min(frames, (int)Math.Ceiling(p.EndSeconds * 25)); f++)
            {
                energy[f] = -20f;
            }
        }

        return energy;
    }
}
