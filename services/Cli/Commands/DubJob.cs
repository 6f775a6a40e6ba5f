using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Cli.Embedded;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Pipeline.Render.Onnx;
using Pipeline.Storage;

namespace Pipeline.Cli.Commands;

/// <summary>A dub or animate job run in embedded mode to completion, its output written: what <c>dub</c>, <c>animate</c> and <c>bench</c> do.</summary>
public static class DubJob
{
    /// <summary>The finished job: the written output, the mux and motion results, and the stage runs in dispatch order.</summary>
    /// <param name="Runs">Stage runs as a user reads them: fan-out templates ("track") are replaced by their chunks.</param>
    /// <param name="Stages">Each run's work seconds, by node name.</param>
    /// <param name="ThumbnailPath">The output's thumbnail, written beside it (OUT.thumb.jpg).</param>
    /// <param name="PreviewPath">The output's preview strip, written beside it (OUT.preview.jpg).</param>
    public sealed record Result(
        Guid JobId,
        MediaInfo Output,
        OutputMuxed Muxed,
        MotionPredicted Motion,
        RenderTotals Render,
        IReadOnlyList<StageRunRecord> Runs,
        Dictionary<string, double> Stages,
        string? ThumbnailPath,
        string? PreviewPath);

    /// <summary>What the render stage did over all chunks: frames written, and those whose lower face was redrawn.</summary>
    public sealed record RenderTotals(int Chunks, long Frames, long FacesDrawn);

    public static Task<Result> RunAsync(
        string videoPath, string audioPath, OutputFile output, JobOptions options, bool quiet, bool verbose, CancellationToken ct, string? modelManifest = null) =>
        RunAsync(JobMode.Dub, videoPath, audioPath, output, options, quiet, verbose, ct, modelManifest);

    /// <param name="picturePath">The target video (dub) or the photo (animate).</param>
    public static async Task<Result> RunAsync(
        JobMode mode, string picturePath, string audioPath, OutputFile output, JobOptions options, bool quiet, bool verbose, CancellationToken ct, string? modelManifest = null)
    {
        await using var runtime = await EmbeddedRuntime.StartAsync(verbose, ct);
        var importer = new InputImporter(runtime.Services.GetRequiredService<IObjectStore>());

        var animate = mode == JobMode.Animate;
        var outcome = await ProgressViews.RunAsync(animate ? "animate" : "dub", quiet, async view =>
        {
            view.Update("import", 0);
            var picture = await importer.ImportAsync(picturePath, animate ? "--image" : "--video", ct);
            var audio = await importer.ImportAsync(audioPath, "--audio", ct);
            if (modelManifest is not null)
            {
                options = options with { Backend = options.Backend with { ModelManifestKey = await ImportModelAsync(runtime, modelManifest, ct) } };
            }

            var spec = new JobSpec(
                mode,
                animate ? new JobInputs(Image: picture, Audio: audio) : new JobInputs(Video: picture, Audio: audio),
                options,
                "output" + output.Extension);
            return await new EmbeddedJobRunner(runtime).RunAsync(spec, view, ct);
        });

        var store = runtime.Services.GetRequiredService<IObjectStore>();
        await output.WriteFromStoreAsync(store, outcome.OutputKey, ct);
        var info = await runtime.Services.GetRequiredService<MediaProber>().ProbeAsync(output.FullPath, ct);
        var muxed = JsonSerializer.Deserialize<OutputMuxed>(outcome.Stages.Single(s => s.Stage == StageKind.Mux).ResultJson!, JobJson.Options)!;
        var thumbnail = muxed.Thumbnail is { } thumb ? await output.WriteSiblingFromStoreAsync(store, thumb.Key, ".thumb.jpg", ct) : null;
        var preview = muxed.Preview is { } strip ? await output.WriteSiblingFromStoreAsync(store, strip.Key, ".preview.jpg", ct) : null;
        var motion = JsonSerializer.Deserialize<MotionPredicted>(outcome.Stages.Single(s => s.Stage == StageKind.Motion).ResultJson!, JobJson.Options)!;
        var chunks = outcome.Stages
            .Where(s => s.Stage == StageKind.Render && s.ChunkIndex is not null)
            .Select(s => JsonSerializer.Deserialize<ChunkRendered>(s.ResultJson!, JobJson.Options)!)
            .ToList();
        var render = new RenderTotals(chunks.Count, chunks.Sum(c => c.Frames), chunks.Sum(c => c.FacesDrawn));

        // Fan-out templates ("track", "render") only sum their chunks ("track/0", "track/1"…): list the chunks.
        var runs = outcome.Stages
            .Where(s => s.ChunkIndex is not null || !outcome.Stages.Any(c => c.Stage == s.Stage && c.ChunkIndex is not null))
            .OrderBy(s => s.DispatchedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(s => s.Node, StringComparer.Ordinal)
            .ToList();
        var stages = runs.ToDictionary(s => s.Node, s => Math.Round(s.WorkSeconds ?? 0, 3));
        return new Result(outcome.JobId, info, muxed, motion, render, runs, stages, thumbnail, preview);
    }

    // The onnx backend's manifest and model into the store (content-addressed), so the render stage reads them from there.
    private static async Task<string> ImportModelAsync(EmbeddedRuntime runtime, string manifestPath, CancellationToken ct)
    {
        try
        {
            return await StoredModels.ImportAsync(runtime.Services.GetRequiredService<IObjectStore>(), manifestPath, ct);
        }
        catch (ModelManifestException e)
        {
            throw new CliException($"--model: {e.Message}");
        }
    }
}
