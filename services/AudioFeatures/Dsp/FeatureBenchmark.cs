using System.Diagnostics;
using Pipeline.Media;

namespace Pipeline.AudioFeatures.Dsp;

/// <summary>Timing of <see cref="AudioFeatureExtractor"/> alone: decoding is done first and not counted.</summary>
public sealed record FeatureBenchmarkResult(double AudioSeconds, int Repeats, double BestSeconds, double MedianSeconds, long Frames)
{
    /// <summary>Seconds of compute per 60 s of audio (best run), the figure the speed budget is stated in.</summary>
    public double SecondsPer60s => AudioSeconds > 0 ? BestSeconds * 60 / AudioSeconds : 0;

    public override string ToString() =>
        $"{AudioSeconds:F1} s of audio: best {BestSeconds * 1000:F0} ms, median {MedianSeconds * 1000:F0} ms over {Repeats} runs = {SecondsPer60s:F3} s per 60 s ({AudioSeconds / Math.Max(BestSeconds, 1e-9):F0}x real time), {Frames} frames";
}

/// <summary>
/// A benchmark, not a test: decodes a file to 16 kHz mono in memory, then extracts features several times into
/// a scratch folder and reports the best and median wall time. Pin it to one core (taskset -c 0) for the
/// one-core budget.
/// </summary>
public static class FeatureBenchmark
{
    public static async Task<FeatureBenchmarkResult> RunAsync(string path, int repeats = 5, int fpsNumerator = 25, int fpsDenominator = 1, CancellationToken ct = default)
    {
        var runner = new FfmpegRunner(new MediaToolOptions());
        var prober = new MediaProber(runner);
        var samples = new List<float>();
        await using (var reader = await AudioSampleReader.OpenAsync(prober, runner, path, SpectralFrameAnalyzer.SampleRate, 1, ct).ConfigureAwait(false))
        {
            var buffer = new float[16384];
            int read;
            while ((read = await reader.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                samples.AddRange(buffer.AsSpan(0, read));
            }
        }

        return await RunAsync(samples.ToArray(), repeats, fpsNumerator, fpsDenominator, ct).ConfigureAwait(false);
    }

    public static async Task<FeatureBenchmarkResult> RunAsync(ReadOnlyMemory<float> samples, int repeats = 5, int fpsNumerator = 25, int fpsDenominator = 1, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var folder = Path.Combine(Path.GetTempPath(), $"feature-bench-{Guid.NewGuid():N}");
        var extractor = new AudioFeatureExtractor();
        var times = new List<double>();
        long frames = 0;
        try
        {
            // One untimed run first, so the JIT's tiering is not what we measure.
            for (var run = -1; run < repeats; run++)
            {
                var position = 0;
                ValueTask<int> Read(Memory<float> buffer, CancellationToken token)
                {
                    var n = Math.Min(buffer.Length, samples.Length - position);
                    samples.Slice(position, n).CopyTo(buffer);
                    position += n;
                    return ValueTask.FromResult(n);
                }

                var watch = Stopwatch.StartNew();
                var summary = await extractor.ExtractAsync(Read, fpsNumerator, fpsDenominator, folder, ct: ct).ConfigureAwait(false);
                watch.Stop();
                frames = summary.Frames;
                if (run >= 0)
                {
                    times.Add(watch.Elapsed.TotalSeconds);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        times.Sort();
        return new FeatureBenchmarkResult((double)samples.Length / SpectralFrameAnalyzer.SampleRate, repeats, times[0], times[times.Count / 2], frames);
    }
}
