using Pipeline.AudioFeatures.Dsp;
using Pipeline.Features;
using Pipeline.TestSupport;

namespace Pipeline.AudioFeatures.Tests;

public sealed class StreamingTests
{
    [Fact]
    public async Task Chunk_size_does_not_change_a_single_bit()
    {
        var signal = Signals.Add(
            Signals.Concat(Signals.Silence(0.7), Signals.Tone(180, 0.8, 0.2), Signals.Chirp(200, 3000, 1.0, 0.3), Signals.Silence(0.5)),
            Signals.Noise(3.0, 0.002));
        using var scratch = new ScratchDirectory("af-chunks");
        var reference = await FeatureRun.ExtractAsync(scratch, signal, 30000, 1001, chunk: 16000);
        foreach (var chunk in new[] { 1, 37, 160, 4097 })
        {
            var run = await FeatureRun.ExtractAsync(scratch, signal, 30000, 1001, chunk: chunk);
            Assert.Equal(reference.Mel80, run.Mel80);
            Assert.Equal(reference.Wav2Lip, run.Wav2Lip);
            Assert.Equal(reference.Mfcc, run.Mfcc);
            Assert.Equal(reference.Energy, run.Energy);
            Assert.Equal(reference.F0, run.F0);
            Assert.Equal(reference.Voicing, run.Voicing);
            Assert.Equal(reference.Vad, run.Vad);
        }
    }

    [Fact]
    public async Task Memory_does_not_grow_with_duration()
    {
        // Allocation while streaming must not depend on length: measure on the extraction thread between the first
        // and the last read (the source completes synchronously, so everything between runs on that thread).
        using var scratch = new ScratchDirectory("af-alloc");
        var shortRun = await AllocatedWhileStreamingAsync(scratch, seconds: 10);
        var longRun = await AllocatedWhileStreamingAsync(scratch, seconds: 120);
        TestContext.Current.TestOutputHelper?.WriteLine($"allocated while streaming: 10 s -> {shortRun} B, 120 s -> {longRun} B");
        Assert.True(longRun - shortRun < 16 * 1024, $"10 s allocated {shortRun} B, 120 s {longRun} B");
    }

    [Fact]
    public async Task The_sidecar_documents_every_file()
    {
        using var scratch = new ScratchDirectory("af-sidecar");
        var run = await FeatureRun.ExtractAsync(scratch, Signals.Concat(Signals.Silence(0.5), Signals.Tone(220, 1.0, 0.3)), 24000, 1001);
        var sidecar = await FeatureSidecarJson.ReadAsync(Path.Combine(run.Folder, run.Summary.Files[FeatureFileNames.Sidecar]), TestContext.Current.CancellationToken);

        Assert.Equal(FeatureSidecar.FormatName, sidecar.Format);
        Assert.Equal(24000, sidecar.Clocks[FeatureSidecar.VideoClock].Numerator);
        Assert.Equal(1001, sidecar.Clocks[FeatureSidecar.VideoClock].Denominator);
        Assert.Equal(run.Frames, sidecar.Clocks[FeatureSidecar.VideoClock].Frames);
        Assert.Equal(run.Summary.VoicedFrames, sidecar.Summary.VoicedFrames);
        Assert.Equal(24000, sidecar.Source.Samples);
        Assert.Equal(FeatureFileNames.Arrays.Order(), sidecar.Files.Keys.Order());
        foreach (var (name, file) in sidecar.Files)
        {
            using var reader = NpyReader.Open(Path.Combine(run.Folder, file.File));
            Assert.Equal(file.Shape, reader.Info.Shape);
            Assert.Equal(file.Dtype, reader.Info.DType.NumpyName());
            Assert.True(sidecar.Clocks.ContainsKey(file.Clock), $"{name}: unknown clock {file.Clock}");
            Assert.False(string.IsNullOrWhiteSpace(file.Units));
        }

        var json = await File.ReadAllTextAsync(Path.Combine(run.Folder, "features.json"), TestContext.Current.CancellationToken);
        Assert.Contains("\"frame_interval\"", json, StringComparison.Ordinal);
        Assert.Contains("\"n_fft\": 800", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_rises_to_one_and_cancellation_stops_the_run()
    {
        using var scratch = new ScratchDirectory("af-progress");
        var samples = Signals.Tone(200, 3.0, 0.2);
        var reports = new List<double>();
        var position = 0;
        ValueTask<int> Read(Memory<float> buffer, CancellationToken ct)
        {
            var n = Math.Min(Math.Min(buffer.Length, 1600), samples.Length - position);
            samples.AsSpan(position, n).CopyTo(buffer.Span);
            position += n;
            return ValueTask.FromResult(n);
        }

        await new AudioFeatureExtractor().ExtractAsync(Read, 25, 1, scratch.File("p"), new SyncProgress(reports), expectedSeconds: 3.0, ct: TestContext.Current.CancellationToken);
        Assert.True(reports.Count >= 10, $"{reports.Count} progress reports");
        Assert.Equal(reports.Order(), reports);
        Assert.Equal(1.0, reports[^1]);

        using var cancel = new CancellationTokenSource();
        position = 0;
        ValueTask<int> CancelMidway(Memory<float> buffer, CancellationToken ct)
        {
            if (position > 16000)
            {
                cancel.Cancel();
            }

            return Read(buffer, ct);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AudioFeatureExtractor().ExtractAsync(CancelMidway, 25, 1, scratch.File("c"), ct: cancel.Token));
        Assert.False(File.Exists(Path.Combine(scratch.File("c"), "features.json")));
    }

    [Fact]
    public async Task A_failing_source_leaves_no_sidecar()
    {
        using var scratch = new ScratchDirectory("af-fail");
        var folder = scratch.File("out");
        var calls = 0;
        ValueTask<int> Read(Memory<float> buffer, CancellationToken ct) =>
            ++calls < 5 ? ValueTask.FromResult(Math.Min(buffer.Length, 1000)) : throw new IOException("decoder died");

        await Assert.ThrowsAsync<IOException>(() => new AudioFeatureExtractor().ExtractAsync(Read, 25, 1, folder, ct: TestContext.Current.CancellationToken));
        Assert.False(File.Exists(Path.Combine(folder, "features.json")));

        ValueTask<int> Bad(Memory<float> buffer, CancellationToken ct)
        {
            buffer.Span[0] = float.NaN;
            return ValueTask.FromResult(1);
        }

        await Assert.ThrowsAsync<InvalidDataException>(() => new AudioFeatureExtractor().ExtractAsync(Bad, 25, 1, folder, ct: TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioFeatureExtractor(new FeatureExtractionOptions(48000)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new AudioFeatureExtractor().ExtractAsync(Read, 0, 1, folder, ct: TestContext.Current.CancellationToken));
    }

    private static async Task<long> AllocatedWhileStreamingAsync(ScratchDirectory scratch, int seconds)
    {
        var tone = Signals.Add(Signals.Tone(150, 1.0, 0.2), Signals.Noise(1.0, 0.01));
        var total = (long)seconds * 16000;
        long position = 0, first = -1, last = -1;
        ValueTask<int> Read(Memory<float> buffer, CancellationToken ct)
        {
            if (first < 0)
            {
                first = GC.GetAllocatedBytesForCurrentThread();
            }

            var n = (int)Math.Min(Math.Min(buffer.Length, 1234), total - position);
            for (var i = 0; i < n; i++)
            {
                buffer.Span[i] = tone[(position + i) % tone.Length];
            }

            position += n;
            if (n == 0)
            {
                last = GC.GetAllocatedBytesForCurrentThread();
            }

            return ValueTask.FromResult(n);
        }

        await new AudioFeatureExtractor().ExtractAsync(Read, 25, 1, scratch.File($"alloc-{seconds}"), ct: TestContext.Current.CancellationToken);
        return last - first;
    }

    /// <summary>Records reports on the calling thread (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class SyncProgress(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }
}
