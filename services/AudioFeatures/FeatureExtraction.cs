using Pipeline.AudioFeatures.Dsp;
using Pipeline.Media;

namespace Pipeline.AudioFeatures;

/// <summary>Any audio ffmpeg reads, decoded to 16 kHz mono as it streams, into the feature files: shared by the stage and the CLI.</summary>
public static class FeatureExtraction
{
    public const int SampleRate = 16_000;

    public static async Task<FeatureSummary> RunAsync(
        MediaProber prober,
        FfmpegRunner runner,
        string audioPath,
        int fpsNumerator,
        int fpsDenominator,
        string outputDirectory,
        IProgress<double>? progress,
        CancellationToken ct)
    {
        Directory.CreateDirectory(outputDirectory);

        // Opening the reader probes the file and rejects one without an audio stream.
        await using var reader = await AudioSampleReader.OpenAsync(prober, runner, audioPath, SampleRate, 1, ct);
        var extractor = new AudioFeatureExtractor(new FeatureExtractionOptions(SampleRate));
        return await extractor.ExtractAsync(
            (buffer, token) => reader.ReadAsync(buffer, token),
            fpsNumerator,
            fpsDenominator,
            outputDirectory,
            progress,
            reader.Source.AudioDurationSeconds,
            ct);
    }
}
