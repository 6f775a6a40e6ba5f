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

    // 48 kHz window buffers for the rare windows whose recognition collapsed (re-read for HeadAudio): one kept,
    // so repairs over a long track reuse it instead of leaving a 16 MB array for the GC each time.
    private readonly SampleBufferPool _repairBuffers = new(1);

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

    /// <summary>The recogniser's search settings, for artifact keys (<see cref="PocketSphinxOptions.SearchSettings"/>).</summary>
    public string RecognizerSettings => _options.PocketSphinx.SearchSettings();

    /// <param name="audioPath">Any audio ffmpeg reads; resampled here as each model needs.</param>
    /// <param name="frames">The frame count both stages agree on; negative = round(duration * fps) from the probed duration.</param>
    public Task<ContentResult> EncodeAsync(string audioPath, int fpsNumerator, int fpsDenominator, long frames, string outputDirectory, ContentMethod method, CancellationToken ct = default) =>
        EncodeAsync(audioPath, fpsNumerator, fpsDenominator, frames, outputDirectory, method, ReadOnlyMemory<float>.Empty, ct);

    /// <summary>
    /// Encodes the clip window by window (<see cref="ContentEncoderOptions.ChunkSeconds"/>), so memory stays flat
    /// whatever its length, with up to <see cref="ContentEncoderOptions.MaxParallelChunks"/> windows in flight;
    /// rows are smoothed and written in order as windows finish.
    /// </summary>
    /// <param name="frameEnergyDbfs">The features stage's per-frame energy, used to cut windows in pauses; empty = fixed cuts.</param>
    public async Task<ContentResult> EncodeAsync(string audioPath, int fpsNumerator, int fpsDenominator, long frames, string outputDirectory, ContentMethod method, ReadOnlyMemory<float> frameEnergyDbfs, CancellationToken ct = default)
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
        var chunks = ContentChunkPlanner.Plan(frames, clock, frameEnergyDbfs.Span, _options.ChunkSeconds, _options.ChunkSearchSeconds);
        var usesPocketSphinx = method is ContentMethod.PocketSphinx or ContentMethod.Fused;
        var usesHeadAudio = method is ContentMethod.HeadAudio or ContentMethod.Fused;
        var totals = new ChunkTotals();
        var watch = Stopwatch.StartNew();

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Decoded up front, not streamed: recognition reads the track over a minute or more, and a streaming decoder
        // would wait on its pipe all that time (see DecodedAudioFile).
        await using var r16 = usesPocketSphinx ? await DecodedAudioFile.DecodeAsync(_prober, _runner, audioPath, PocketSphinxRecognizer.SampleRate, Path.Combine(outputDirectory, "track-16k.f32"), ct).ConfigureAwait(false) : null;
        await using var r48 = usesHeadAudio ? await DecodedAudioFile.DecodeAsync(_prober, _runner, audioPath, HeadAudioVisemeAnalyzer.InputSampleRate, Path.Combine(outputDirectory, "track-48k.f32"), ct).ConfigureAwait(false) : null;
        // At most `degree` windows are with recognisers, one is being read and one waits: keep that many buffers.
        var degree = Math.Max(1, _options.MaxParallelChunks);
        var s16 = r16 is null ? null : new ChunkSamples(r16.OpenReader(), new SampleBufferPool(degree + 2), (int)(_options.PocketSphinxLeadInSeconds * PocketSphinxRecognizer.SampleRate));
        var s48 = r48 is null ? null : new ChunkSamples(r48.OpenReader(), new SampleBufferPool(1));

        var npy = Path.Combine(outputDirectory, ContentSidecar.VisemesFile);
        var haStream = usesHeadAudio ? new HeadAudioVisemeStream(_model.Value, _options, HeadAudioVisemeAnalyzer.InputSampleRate) : null;
        var waiting = new Queue<(ContentChunk Chunk, PooledSamples A16, VisemePosteriors? Ha)>(); // read, HeadAudio not yet complete
        var inFlight = new Queue<Task<VisemePosteriors>>();
        using (var writer = NpyWriter.Create(npy, NpyDType.Float32, Visemes.Count))
        {
            var smoother = new RowSmoother(writer, _options.Smoothing);
            async Task DispatchAsync(int ready)
            {
                for (var i = 0; i < ready; i++)
                {
                    var (chunk, a16, ha) = waiting.Dequeue();
                    while (inFlight.Count >= degree)
                    {
                        smoother.Push(await inFlight.Dequeue().ConfigureAwait(false));
                    }

                    inFlight.Enqueue(Task.Run(() => EncodeChunkAsync(audioPath, method, clock, chunk, a16, ha, outputDirectory, totals, cancel.Token), cancel.Token));
                }
            }

            try
            {
                foreach (var chunk in chunks)
                {
                    // The last window reads to the end of the audio, or a second past the last frame at most.
                    var end = chunk.End == frames ? Math.Min(Math.Max(duration, clock.StartOf(frames)), clock.StartOf(frames) + 1) : clock.StartOf(chunk.End);
                    var a16 = s16 is null ? PooledSamples.None : await s16.ReadUntilAsync(end, cancel.Token).ConfigureAwait(false);
                    var ready = 1;
                    VisemePosteriors? ha = null;
                    if (haStream is not null)
                    {
                        // HeadAudio runs here, in order, over the whole clip; the recogniser windows run concurrently.
                        var a48 = await s48!.ReadUntilAsync(end, cancel.Token).ConfigureAwait(false);
                        ha = new VisemePosteriors(chunk.Count, clock, chunk.First);
                        ready = haStream.Feed(a48.Memory.Span, ha).Count;
                        a48.Return();
                    }

                    waiting.Enqueue((chunk, a16, ha));
                    await DispatchAsync(ready).ConfigureAwait(false);
                }

                haStream?.Finish();
                await DispatchAsync(waiting.Count).ConfigureAwait(false);
                while (inFlight.Count > 0)
                {
                    smoother.Push(await inFlight.Dequeue().ConfigureAwait(false));
                }
            }
            catch
            {
                // Stop the other windows' recognisers before the error leaves: nothing may outlive the stage.
                await cancel.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(inFlight.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
                foreach (var w in waiting)
                {
                    w.A16.Return();
                }

                throw;
            }

            smoother.Complete();
        }

        if (haStream is not null)
        {
            totals.AddHeadAudio(haStream.Hops, haStream.ActiveHops);
        }

        var psSeconds = usesPocketSphinx ? totals.PocketSphinxSeconds : 0;
        _logger.LogInformation(
            "content {Method}: {Frames} frames in {Chunks} window(s), {Seconds:0.00} s wall; pocketsphinx {Phones} phones, {PsSeconds:0.00} s summed over windows",
            method, frames, chunks.Count, watch.Elapsed.TotalSeconds, totals.Phones, psSeconds);
        if (totals.Restarts > 0)
        {
            _logger.LogInformation("pocketsphinx collapsed and was restarted {Restarts} time(s)", totals.Restarts);
        }

        if (totals.RepairedFrames > 0)
        {
            _logger.LogWarning("pocketsphinx collapsed on {Spans} span(s); {Frames} frames taken from HeadAudio instead", totals.CollapsedSpans, totals.RepairedFrames);
        }

        var sidecar = BuildSidecar(method, clock, frames, new ContentSource(duration, totals.Phones, totals.Hops, totals.ActiveHops), totals, chunks.Count);
        await ContentSidecarJson.WriteAsync(Path.Combine(outputDirectory, ContentSidecar.FileName), sidecar, ct).ConfigureAwait(false);
        return new ContentResult(
            frames,
            Visemes.Count,
            new Dictionary<string, string> { ["visemes"] = ContentSidecar.VisemesFile, ["sidecar"] = ContentSidecar.FileName },
            psSeconds);
    }

    /// <summary>One window: its posteriors with gaps closed, not yet smoothed or normalised (the stream does that).</summary>
    private async Task<VisemePosteriors> EncodeChunkAsync(
        string audioPath, ContentMethod method, FrameClock clock, ContentChunk chunk, PooledSamples a16, VisemePosteriors? ha, string scratch, ChunkTotals totals, CancellationToken ct)
    {
        try
        {
            var t0 = clock.StartOf(chunk.First);
            VisemePosteriors? ps = null;

            if (method is ContentMethod.PocketSphinx or ContentMethod.Fused)
            {
                var watch = Stopwatch.StartNew();
                var recognizer = new PocketSphinxRecognizer(_runner, _options.PocketSphinx, _logger);
                // The recogniser heard the lead-in too (its running cepstral mean needs a few seconds to settle);
                // phones there fall before the window and are clipped away by the grid.
                var origin = t0 - (a16.LeadIn / (double)PocketSphinxRecognizer.SampleRate);
                var (recognised, restarts) = await CollapseRecovery.RecognizeAsync(
                    (samples, removeNoise, token) => recognizer.RecognizeSamplesAsync(samples, scratch, removeNoise, token),
                    a16.Memory, PocketSphinxRecognizer.SampleRate, origin, ct).ConfigureAwait(false);
                var phones = recognised.Where(p => p.EndSeconds > t0).ToList();
                totals.AddPocketSphinx(phones.Count, watch.Elapsed.TotalSeconds, restarts);
                ps = new VisemePosteriors(chunk.Count, clock, chunk.First);
                foreach (var p in phones)
                {
                    ps.AddSpan(p.StartSeconds, p.EndSeconds, PhoneVisemeMap.FromCmu(p.Phone));
                }

                var collapsed = PhoneCollapse.Find(phones);
                if (collapsed.Count > 0)
                {
                    // Rare: decode this window again at HeadAudio's own rate rather than keep 48 kHz for every window.
                    ha ??= await AnalyzeHeadAudioAsync(audioPath, clock, chunk, t0, (a16.Length - a16.LeadIn) / (double)PocketSphinxRecognizer.SampleRate, totals, ct).ConfigureAwait(false);
                    totals.AddRepair(collapsed.Count, PhoneCollapse.Repair(ps, ha, collapsed));
                }
            }

            var result = method switch
            {
                ContentMethod.HeadAudio => ha!,
                ContentMethod.PocketSphinx => ps!,
                _ => Fuse(ha!, ps!),
            };
            result.CloseGapsOnly();
            return result;
        }
        finally
        {
            a16.Return();
        }
    }

    private VisemePosteriors AnalyzeHeadAudio(ReadOnlySpan<float> samples, int rate, FrameClock clock, ContentChunk chunk, double t0, ChunkTotals totals)
    {
        var grid = new VisemePosteriors(chunk.Count, clock, chunk.First);
        var analyzer = new HeadAudioVisemeAnalyzer(_model.Value, _options);
        analyzer.Analyze(samples, rate, grid, _options.HeadAudioSpeakerMeanHz, t0);
        totals.AddHeadAudio(analyzer.Hops, analyzer.ActiveHops);
        return grid;
    }

    private async Task<VisemePosteriors> AnalyzeHeadAudioAsync(string audioPath, FrameClock clock, ContentChunk chunk, double t0, double seconds, ChunkTotals totals, CancellationToken ct)
    {
        await using var reader = await AudioSampleReader.OpenAsync(_prober, _runner, audioPath, HeadAudioVisemeAnalyzer.InputSampleRate, 1, t0, seconds, ct).ConfigureAwait(false);
        var samples = await new ChunkSamples(reader, _repairBuffers).ReadUntilAsync(seconds + 1, ct).ConfigureAwait(false);
        try
        {
            return AnalyzeHeadAudio(samples.Memory.Span, HeadAudioVisemeAnalyzer.InputSampleRate, clock, chunk, t0, totals);
        }
        finally
        {
            samples.Return();
        }
    }

    private VisemePosteriors Fuse(VisemePosteriors ha, VisemePosteriors ps)
    {
        ha.MixIn(ps, (float)_options.FusionPocketSphinxWeight);
        return ha;
    }

    private ContentSidecar BuildSidecar(ContentMethod method, FrameClock clock, long frames, ContentSource source, ChunkTotals totals, int windows)
    {
        var fc = new FeatureClock(clock.Numerator, clock.Denominator, clock.Fps, frames,
            "row i covers [i/rate, (i+1)/rate) seconds", "mean over the frame interval", "round(duration * rate), or as the caller passed");
        var file = new FeatureFile(ContentSidecar.VisemesFile, "<f4", [frames, Visemes.Count], ["frame", "viseme"], "video", "probability",
            "per-frame viseme posterior; each row sums to 1; columns named by 'visemes'", new Dictionary<string, object>());
        var parameters = new Dictionary<string, object>
        {
            ["smoothing"] = _options.Smoothing,
            ["window_max_seconds"] = _options.ChunkSeconds,
            ["windows"] = windows,
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
            parameters["pocketsphinx_search"] = _options.PocketSphinx.SearchSettings();
            parameters["pocketsphinx_collapse_max_phone_seconds"] = PhoneCollapse.DefaultMaxPhoneSeconds;
            parameters["pocketsphinx_collapse_restarts"] = totals.Restarts;
            parameters["pocketsphinx_collapse_frames_from_headaudio"] = totals.RepairedFrames;
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
