using Pipeline.Features;

namespace Pipeline.AudioFeatures.Dsp;

/// <summary>
/// Computes every audio feature of DESIGN.md §3 from a stream of 16 kHz mono samples, in one pass, onto a video
/// frame clock, and writes them as .npy files plus features.json (written last: its presence means the arrays are
/// complete). Memory is fixed at the start, whatever the duration.
/// </summary>
public sealed class AudioFeatureExtractor
{
    private readonly FeatureExtractionOptions _options;

    public AudioFeatureExtractor(FeatureExtractionOptions? options = null)
    {
        _options = options ?? FeatureExtractionOptions.Default;
        if (_options.SampleRate != SpectralFrameAnalyzer.SampleRate)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.SampleRate, $"features are defined at {SpectralFrameAnalyzer.SampleRate} Hz mono: decode to that rate first");
        }
    }

    /// <summary>
    /// Pulls samples from <paramref name="read"/> (fills the buffer it is given, returns the count, 0 at the end;
    /// any chunk size) and writes the feature files into <paramref name="outputDirectory"/>, one row per video
    /// frame of <paramref name="fpsNumerator"/>/<paramref name="fpsDenominator"/> fps (wav2lip_mel: 80 rows/s).
    /// </summary>
    public async Task<FeatureSummary> ExtractAsync(
        Func<Memory<float>, CancellationToken, ValueTask<int>> read,
        int fpsNumerator,
        int fpsDenominator,
        string outputDirectory,
        IProgress<double>? progress = null,
        double? expectedSeconds = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var clock = new VideoFrameClock(fpsNumerator, fpsDenominator);
        Directory.CreateDirectory(outputDirectory);
        var sidecarPath = Path.Combine(outputDirectory, FeatureSidecarJson.FileName);
        File.Delete(sidecarPath); // a stale sidecar would vouch for arrays we are about to overwrite

        var expectedSamples = expectedSeconds is > 0 ? expectedSeconds.Value * _options.SampleRate : 0;
        var reported = -1.0;
        using (var session = new ExtractionSession(clock, outputDirectory))
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var buffer = session.NextReadBuffer();
                var count = await read(buffer, ct).ConfigureAwait(false);
                if (count < 0 || count > buffer.Length)
                {
                    throw new InvalidOperationException($"the sample source returned {count} for a {buffer.Length}-sample buffer");
                }

                if (count == 0)
                {
                    break;
                }

                CheckFinite(buffer.Span[..count], session.SamplesReceived);
                session.Commit(count);
                if (progress is not null && expectedSamples > 0)
                {
                    // Report whole percents only: the callback may marshal to another thread.
                    var fraction = Math.Floor(Math.Min(0.99, session.SamplesReceived / expectedSamples) * 100) / 100;
                    if (fraction > reported)
                    {
                        reported = fraction;
                        progress.Report(fraction);
                    }
                }
            }

            session.Finish();
            var summary = Summary(session, clock);
            var sidecar = FeatureSidecarFactory.Create(clock, session.SamplesReceived, summary, session.Wav2LipFrames);
            await FeatureSidecarJson.WriteAsync(sidecarPath, sidecar, ct).ConfigureAwait(false);
            progress?.Report(1.0);
            return summary;
        }
    }

    private static FeatureSummary Summary(ExtractionSession session, VideoFrameClock clock)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in FeatureFileNames.Arrays.Append(FeatureFileNames.Sidecar))
        {
            files[name] = FeatureFileNames.FileOf(name);
        }

        return new FeatureSummary(
            session.VideoFrames,
            clock.Fps,
            session.VoicedFrames,
            session.ActiveFrames,
            (double)session.SamplesReceived / SpectralFrameAnalyzer.SampleRate,
            files);
    }

    /// <summary>NaN or infinite input would poison every feature silently: refuse it with the sample's position.</summary>
    private static void CheckFinite(ReadOnlySpan<float> samples, long offset)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
            {
                throw new InvalidDataException($"audio sample {offset + i} is {samples[i]}: the decoder produced non-finite samples");
            }
        }
    }
}
