using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts.Jobs;
using Pipeline.Encoding.Content;
using Pipeline.Features;

namespace Pipeline.Encoding.Emotion;

/// <summary>
/// Emotion features: emotion.npy [frames, 11] float32 (<see cref="EmotionVector"/> layout) + emotion.json, from the
/// request (constant or timeline) or, for <see cref="EmotionSource.FromAudio"/>, from per-frame prosody the DSP stage
/// computed. Never reads or writes the content files.
/// </summary>
public sealed class EmotionEncoder
{
    public const string EmotionFile = "emotion.npy";
    public const string SidecarFile = "emotion.json";

    private const int BlockFrames = 4096;

    private readonly ILogger _logger;

    public EmotionEncoder(ILogger<EmotionEncoder>? logger = null) => _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <param name="frames">Frame count agreed with the other stages (must be ≥ 0).</param>
    /// <param name="energyDbfs">Per-frame RMS energy in dBFS; required (with <paramref name="f0Hz"/>) for FromAudio.</param>
    /// <param name="f0Hz">Per-frame F0 in Hz, 0 = unvoiced.</param>
    public async Task<EmotionResult> EncodeAsync(EmotionSpec spec, int fpsNumerator, int fpsDenominator, long frames, ReadOnlyMemory<float>? energyDbfs, ReadOnlyMemory<float>? f0Hz, string outputDirectory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frames, int.MaxValue / EmotionVector.Length);
        var clock = FrameClock.Create(fpsNumerator, fpsDenominator);
        string how;
        ReadOnlyMemory<float> energy = default, f0 = default;
        if (spec.Source == EmotionSource.FromAudio)
        {
            if (energyDbfs is not { } e || f0Hz is not { } p || e.Length != frames || p.Length != frames)
            {
                throw new ArgumentException($"emotion 'from audio' needs the per-frame energy and f0 arrays ({frames} values each)");
            }

            (energy, f0) = (e, p);
            how = "estimated from prosody (energy, f0); valence is not estimated and stays 0";
        }
        else
        {
            if (spec.Timeline.Count == 0)
            {
                throw new ArgumentException("an emotion timeline needs at least one key", nameof(spec));
            }

            how = spec.Timeline.Count == 1 ? "constant, as requested" : $"requested timeline of {spec.Timeline.Count} keys, raised-cosine blends ending at each key";
        }

        Directory.CreateDirectory(outputDirectory);
        // Written a block at a time: a three-hour clip at 60 fps would otherwise hold 28 MB of rows.
        var block = new float[BlockFrames * EmotionVector.Length];
        using (var writer = NpyWriter.Create(Path.Combine(outputDirectory, EmotionFile), NpyDType.Float32, EmotionVector.Length))
        {
            for (long first = 0; first < frames; first += BlockFrames)
            {
                ct.ThrowIfCancellationRequested();
                var rows = block.AsSpan(0, (int)Math.Min(BlockFrames, frames - first) * EmotionVector.Length);
                if (spec.Source == EmotionSource.FromAudio)
                {
                    ProsodyEmotionEstimator.Estimate(energy.Span, f0.Span, clock.Fps, rows, first);
                }
                else
                {
                    EmotionTimeline.Render(spec.Timeline, clock.Fps, rows, EmotionTimeline.DefaultBlendSeconds, first);
                }

                writer.Write(rows);
            }
        }

        var sidecar = new EmotionSidecar(
            "pipeline.emotion",
            1,
            spec.Source.ToString(),
            new FeatureClock(clock.Numerator, clock.Denominator, clock.Fps, frames,
                "row i covers [i/rate, (i+1)/rate) seconds", "frame centre", "as the caller passed (the stages agree on it)"),
            EmotionVector.Columns,
            new FeatureFile(EmotionFile, "<f4", [frames, EmotionVector.Length], ["frame", "component"], "video", "mixed",
                "8 class probabilities (EmotionLabel order), intensity 0..1, arousal -1..1, valence -1..1", new Dictionary<string, object>()),
            spec.Timeline.Select(k => new EmotionSidecarKey(k.AtSeconds, k.Label.ToString(), k.Intensity)).ToArray(),
            [how]);
        var path = Path.Combine(outputDirectory, SidecarFile);
        await using (var stream = File.Create(path + ".tmp"))
        {
            await JsonSerializer.SerializeAsync(stream, sidecar, FeatureSidecarJson.Options, ct).ConfigureAwait(false);
        }

        File.Move(path + ".tmp", path, overwrite: true);
        _logger.LogInformation("emotion: {Frames} frames, {How}", frames, how);
        return new EmotionResult(frames, new Dictionary<string, string> { ["emotion"] = EmotionFile, ["sidecar"] = SidecarFile });
    }
}
