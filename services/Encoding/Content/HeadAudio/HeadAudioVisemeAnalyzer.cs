using Pipeline.Media;

namespace Pipeline.Encoding.Content.HeadAudio;

/// <summary>
/// Per-video-frame viseme posteriors from HeadAudio: decode to 48 kHz mono (the rate browsers feed HeadAudio, so the
/// pre-emphasis sees what it was trained on), run <see cref="HeadAudioFrontEnd"/>, classify every active 16 ms hop
/// into a soft distribution and project it onto the frame clock; hops the VAD gate holds silent are silence.
/// </summary>
public sealed class HeadAudioVisemeAnalyzer : IHeadAudioFeatureSink
{
    public const int InputSampleRate = 48000;
    private const double HalfHop = HeadAudioFrontEnd.Hop / 2.0 / HeadAudioMfcc.SampleRate;
    private const double BlockCentre = HeadAudioMfcc.N / 2.0 / HeadAudioMfcc.SampleRate;

    private readonly HeadAudioClassifier _classifier;
    private readonly double _temperature;
    private readonly float[] _posterior = new float[Visemes.Count];
    private readonly float[] _silence = new float[Visemes.Count];
    private VisemePosteriors? _grid;
    private double _offset;

    public HeadAudioVisemeAnalyzer(HeadAudioModel model, ContentEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _classifier = new HeadAudioClassifier(model, options.HeadAudioSilSensitivity);
        _temperature = options.HeadAudioTemperature;
        _silence[Visemes.Sil] = 1;
    }

    /// <summary>Active hops seen by the last run (speech by HeadAudio's VAD gate).</summary>
    public long ActiveHops { get; private set; }

    public long Hops { get; private set; }

    /// <summary>Adds HeadAudio's evidence for the whole file to <paramref name="grid"/> (unfinished); returns the 48 kHz samples read.</summary>
    public async Task<long> AnalyzeAsync(MediaProber prober, FfmpegRunner runner, string audioPath, VisemePosteriors grid, double speakerMeanHz, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var frontEnd = new HeadAudioFrontEnd(InputSampleRate, speakerMeanHz);
        _grid = grid;
        Hops = ActiveHops = 0;
        var buffer = new float[InputSampleRate / 5];
        await using var reader = await AudioSampleReader.OpenAsync(prober, runner, audioPath, InputSampleRate, 1, ct).ConfigureAwait(false);
        int got;
        while ((got = await reader.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            frontEnd.Process(buffer.AsSpan(0, got), this);
        }

        _grid = null;
        return reader.SamplesRead;
    }

    /// <summary>
    /// Same, from samples already in memory at <paramref name="sampleRate"/> (one chunk of a clip, or a test signal);
    /// the first sample is at <paramref name="offsetSeconds"/> on the clip's clock.
    /// </summary>
    public void Analyze(ReadOnlySpan<float> samples, int sampleRate, VisemePosteriors grid, double speakerMeanHz = 150, double offsetSeconds = 0)
    {
        var frontEnd = new HeadAudioFrontEnd(sampleRate, speakerMeanHz);
        _grid = grid;
        _offset = offsetSeconds;
        Hops = ActiveHops = 0;
        frontEnd.Process(samples, this);
        _grid = null;
        _offset = 0;
    }

    void IHeadAudioFeatureSink.OnFeature(double endSeconds, ReadOnlySpan<float> vector, double logEnergy, bool active)
    {
        var grid = _grid ?? throw new InvalidOperationException("no analysis in progress");
        Hops++;
        var centre = _offset + endSeconds - BlockCentre;
        if (active)
        {
            ActiveHops++;
            _classifier.Posterior(vector, _temperature, _posterior);
            grid.AddSpan(centre - HalfHop, centre + HalfHop, _posterior);
        }
        else
        {
            grid.AddSpan(centre - HalfHop, centre + HalfHop, _silence);
        }
    }
}
