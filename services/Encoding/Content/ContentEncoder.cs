using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Encoding.Content.HeadAudio;
using Pipeline.Encoding.Content.PocketSphinx;
using Pipeline.Features;
using Pipeline.Media;

namespace Pipeline.Encoding.Content;

/// <summary>
/// Content features: per-video-frame viseme posteriors from speaker-independent models, written as visemes.npy
/// [frames, Visemes.Count] float32 (rows sum to 1, columns in <see cref="Visemes.Names"/> order) + content.json.
/// Takes no emotion input at all, so content cannot change when only the emotion does.
/// </summary>
public sealed class ContentEncoder
{
    private readonly FfmpegRunner _runner;
    private readonly MediaProber _prober;
    private readonly ContentEncoderOptions _options;
    private readonly ILogger _logger;
    private readonly Lazy<HeadAudioModel> _model;

    public ContentEncoder(FfmpegRunner runner, MediaProber prober, ContentEncoderOptions? options = null, ILogger<ContentEncoder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(prober);
        _runner = runner;
        _prober = prober;
        _options = options ?? new ContentEncoderOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _model = new Lazy<HeadAudioModel>(() => HeadAudioModel.Load(_options.HeadAudioModelPath), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The method the evidence (Content/EVIDENCE.md) picked.</summary>
    public const ContentMethod DefaultMethod = ContentMethod.PocketSphinx;

    /// <param name="audioPath">Any audio ffmpeg reads; resampled here as each model needs.</param>
    /// <param name="frames">The frame count both stages agree on; negative = round(duration * fps) from the probed duration.</param>
    public async Task<ContentResult> EncodeAsync(string audioPath, int fpsNumerator, int fpsDenominator, long frames, string outputDirectory, ContentMethod method, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(audioPath);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var clock = FrameClock.Create(fpsNumerator, fpsDenominator);
        var info = await _prober.ProbeAsync(audioPath, ct).ConfigureAwait(false);
        if (info.Audio is null)
        {
            throw new MediaException(MediaErrorKind.NoAudioStream, $"{info.Path} has no audio stream", info.Path);
        }

        var duration = info.AudioDurationSeconds;
        if (frames < 0)
        {
            frames = clock.FramesFor(duration);
        }

        Directory.CreateDirectory(outputDirectory);
        VisemePosteriors? ha = null, ps = null;
        var psSeconds = 0.0;
        var psPhones = 0;
        var repaired = 0;
        long hops = 0, activeHops = 0;
        if (method is ContentMethod.HeadAudio or ContentMethod.Fused)
        {
            ha = new VisemePosteriors(frames, clock);
            var analyzer = new HeadAudioVisemeAnalyzer(_model.Value, _options);
            await analyzer.AnalyzeAsync(_prober, _runner, audioPath, ha, _options.HeadAudioSpeakerMeanHz, ct).ConfigureAwait(false);
            (hops, activeHops) = (analyzer.Hops, analyzer.ActiveHops);
        }

        if (method is ContentMethod.PocketSphinx or ContentMethod.Fused)
        {
            var watch = Stopwatch.StartNew();
            var recognizer = new PocketSphinxRecognizer(_runner, _options.PocketSphinx, _logger);
            var phones = await recognizer.RecognizeAsync(audioPath, duration, outputDirectory, ct).ConfigureAwait(false);
            psSeconds = watch.Elapsed.TotalSeconds;
            psPhones = phones.Count;
            ps = PocketSphinxVisemes.Project(phones, frames, clock);
            _logger.LogInformation("pocketsphinx: {Phones} phones in {Seconds:0.00} s for {Duration:0.00} s of audio", phones.Count, psSeconds, duration);

            var collapsed = PhoneCollapse.Find(phones);
            if (collapsed.Count > 0)
            {
                if (ha is null)
                {
                    ha = new VisemePosteriors(frames, clock);
                    var analyzer = new HeadAudioVisemeAnalyzer(_model.Value, _options);
                    await analyzer.AnalyzeAsync(_prober, _runner, audioPath, ha, _options.HeadAudioSpeakerMeanHz, ct).ConfigureAwait(false);
                    (hops, activeHops) = (analyzer.Hops, analyzer.ActiveHops);
                }

                repaired = PhoneCollapse.Repair(ps, ha, collapsed);
                _logger.LogWarning("pocketsphinx collapsed on {Spans} span(s); {Frames} frames taken from HeadAudio instead", collapsed.Count, repaired);
            }
        }

        var result = method switch
        {
            ContentMethod.HeadAudio => ha!,
            ContentMethod.PocketSphinx => ps!,
            _ => Fuse(ha!, ps!),
        };
        result.Finish(_options.Smoothing);

        var npy = Path.Combine(outputDirectory, ContentSidecar.VisemesFile);
        using (var writer = NpyWriter.Create(npy, NpyDType.Float32, Visemes.Count))
        {
            writer.Write(result.Data);
        }

        var sidecar = BuildSidecar(method, clock, frames, new ContentSource(duration, psPhones, hops, activeHops), repaired);
        await ContentSidecarJson.WriteAsync(Path.Combine(outputDirectory, ContentSidecar.FileName), sidecar, ct).ConfigureAwait(false);
        return new ContentResult(
            frames,
            Visemes.Count,
            new Dictionary<string, string> { ["visemes"] = ContentSidecar.VisemesFile, ["sidecar"] = ContentSidecar.FileName },
            psSeconds);
    }

    private VisemePosteriors Fuse(VisemePosteriors ha, VisemePosteriors ps)
    {
        ha.MixIn(ps, (float)_options.FusionPocketSphinxWeight);
        return ha;
    }

    private ContentSidecar BuildSidecar(ContentMethod method, FrameClock clock, long frames, ContentSource source, int repairedFrames)
    {
        var fc = new FeatureClock(clock.Numerator, clock.Denominator, clock.Fps, frames,
            "row i covers [i/rate, (i+1)/rate) seconds", "mean over the frame interval", "round(duration * rate), or as the caller passed");
        var file = new FeatureFile(ContentSidecar.VisemesFile, "<f4", [frames, Visemes.Count], ["frame", "viseme"], "video", "probability",
            "per-frame viseme posterior; each row sums to 1; columns named by 'visemes'", new Dictionary<string, object>());
        var parameters = new Dictionary<string, object>
        {
            ["smoothing"] = _options.Smoothing,
        };
        if (method is ContentMethod.HeadAudio or ContentMethod.Fused)
        {
            parameters["headaudio_model"] = "@met4citizen/headaudio@0.1.0 model-en-mixed.bin";
            parameters["headaudio_temperature"] = _options.HeadAudioTemperature;
            parameters["headaudio_sil_sensitivity"] = _options.HeadAudioSilSensitivity;
            parameters["headaudio_speaker_mean_hz"] = _options.HeadAudioSpeakerMeanHz;
        }

        if (method is ContentMethod.PocketSphinx or ContentMethod.Fused)
        {
            parameters["pocketsphinx_model"] = Path.GetFileName(_options.PocketSphinx.PhoneLanguageModel);
            parameters["pocketsphinx_collapse_max_phone_seconds"] = PhoneCollapse.DefaultMaxPhoneSeconds;
            parameters["pocketsphinx_collapse_frames_from_headaudio"] = repairedFrames;
        }

        if (method is ContentMethod.Fused)
        {
            parameters["fusion_pocketsphinx_weight"] = _options.FusionPocketSphinxWeight;
        }

        return new ContentSidecar(ContentSidecar.FormatName, ContentSidecar.CurrentSchemaVersion, method.ToString(), fc, Visemes.Names,
            new Dictionary<string, FeatureFile> { ["visemes"] = file }, source, parameters,
            ["content is independent of the requested emotion by construction: no emotion input reaches this encoder"]);
    }
}
