using System.Text.Json;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Cli.Embedded;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.Media;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Remote;

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
        string videoPath, string audioPath, OutputFile output, JobOptions options, bool quiet, bool verbose, CancellationToken ct, string? modelManifest = null, RemoteServer? server = null) =>
        RunAsync(JobMode.Dub, videoPath, audioPath, output, options, quiet, verbose, ct, modelManifest, server);

    /// <param name="picturePath">The target video (dub) or the photo (animate).</param>
    /// <param name="server">A distributed stack's Api (and key) to run the job on; null runs it in this process.</param>
    public static async Task<Result> RunAsync(
        JobMode mode, string picturePath, string audioPath, OutputFile output, JobOptions options, bool quiet, bool verbose, CancellationToken ct, string? modelManifest = null, RemoteServer? server = null)
    {
        await using IJobHost host = server is null ? await EmbeddedJobHost.StartAsync(verbose, ct) : RemoteJobHost.Connect(server);

        var animate = mode == JobMode.Animate;
        var outcome = await ProgressViews.RunAsync(animate ? "animate" : "dub", quiet, async view =>
        {
            view.Update("import", 0);
            var picture = await host.ImportAsync(picturePath, animate ? "--image" : "--video", ct);
            var audio = await host.ImportAsync(audioPath, "--audio", ct);
            if (modelManifest is not null)
            {
                options = options with { Backend = options.Backend with { ModelManifestKey = await host.ImportModelAsync(modelManifest, ct) } };
            }

            var spec = new JobSpec(
                mode,
                animate ? new JobInputs(Image: picture, Audio: audio) : new JobInputs(Video: picture, Audio: audio),
                options,
                "output" + output.Extension);
            return await host.RunAsync(spec, view, ct);
        });

        Func<CancellationToken, Task<Stream>> Open(string key) => token => host.OpenArtifactAsync(outcome.JobId, key, token);
        await output.WriteAsync(Open(outcome.OutputKey), ct);
        MediaInfo info;
        await using (var media = MediaTools.Create(verbose))
        {
            info = await media.GetRequiredService<MediaProber>().ProbeAsync(output.FullPath, ct);
        }

        var muxed = JsonSerializer.Deserialize<OutputMuxed>(outcome.Stages.Single(s => s.Stage == StageKind.Mux).ResultJson!, JobJson.Options)!;
        var thumbnail = muxed.Thumbnail is { } thumb ? await output.WriteSiblingAsync(Open(thumb.Key), ".thumb.jpg", ct) : null;
        var preview = muxed.Preview is { } strip ? await output.WriteSiblingAsync(Open(strip.Key), ".preview.jpg", ct) : null;
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
}
