using Pipeline.AudioFeatures.Dsp;
using Pipeline.Media;

namespace Pipeline.AudioFeatures;

/// <summary>Any audio ffmpeg reads, decoded to 16 kHz mono as it streams, into the feature files: shared by the stage and the CLI.</summary>
public static class FeatureExtraction
{
    public const int SampleRate = 16_000;

    /// <param name="maxSeconds">Analyse at most this much from the start (null: all of it).</param>
    public static async Task<FeatureSummary> RunAsync(
        MediaProber prober,
        FfmpegRunner runner,
        string audioPath,
        int fpsNumerator,
        int fpsDenominator,
        string outputDirectory,
        IProgress<double>? progress,
        CancellationToken ct,
        double? maxSeconds = null)
    {
        Directory.CreateDirectory(outputDirectory);
        if (maxSeconds is <= 0 or double.NaN)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSeconds), maxSeconds, "must be positive");
        }

        // Opening the reader probes the file and rejects one without an audio stream.
        await using var reader = await AudioSampleReader.OpenAsync(prober, runner, audioPath, SampleRate, 1, ct);
        var extractor = new AudioFeatureExtractor(new FeatureExtractionOptions(SampleRate));
        var left = maxSeconds is { } cap ? (long)Math.Round(cap * SampleRate) : long.MaxValue;
        var duration = maxSeconds is { } limit ? Math.Min(reader.Source.AudioDurationSeconds, limit) : reader.Source.AudioDurationSeconds;
        return await extractor.ExtractAsync(
            async (buffer, token) =>
            {
                if (left <= 0)
                {
                    return 0;
                }

                var read = await reader.ReadAsync(buffer[..(int)Math.Min(buffer.Length, left)], token);
                left -= read;
                return read;
            },
            fpsNumerator,
            fpsDenominator,
            outputDirectory,
            progress,
            duration,
            ct);
    }
}
