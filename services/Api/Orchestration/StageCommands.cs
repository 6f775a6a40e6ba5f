using System.Text.Json;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;

namespace Pipeline.Api.Orchestration;

/// <summary>Builds a node's command from the job request and the results of the nodes it depends on.</summary>
public static class StageCommands
{
    public static object Build(JobRecord job, JobSpec spec, StageRunRecord run)
    {
        return run.Stage switch
        {
            StageKind.Ingest => new IngestMedia(job.Id, spec.Mode, spec.Inputs),
            StageKind.PrepareAudio => new PrepareAudio(job.Id, spec.Inputs.Audio!),
            StageKind.Mux => new MuxOutput(
                job.Id,
                spec.Inputs.Video!,
                [],
                ResultOf<AudioPrepared>(job, "prepare-audio").Pcm,
                spec.Options.LengthPolicy,
                spec.Options.Output,
                spec.OutputName ?? "output.mp4"),
            _ => throw new InvalidOperationException($"no command for stage {run.Stage} yet"),
        };
    }

    /// <summary>A template node that becomes one run per chunk of the target video when it is dispatched.</summary>
    public static bool IsFanOut(StageRunRecord run) => run.Stage == StageKind.FaceTracking && run.ChunkIndex is null;

    /// <summary>The chunk runs of a fan-out template and their commands; the template's weight is shared among them.</summary>
    public static IReadOnlyList<(StageRunRecord Run, object Command)> BuildChunks(JobRecord job, JobSpec spec, StageRunRecord template)
    {
        var video = ResultOf<MediaIngested>(job, "ingest").Video
            ?? throw new InvalidOperationException($"job {job.Id}: ingest found no video to split into chunks");
        var chunks = VideoChunks.Plan(video);
        return chunks.Select(chunk =>
        {
            var id = new StageRunId(template.Stage, chunk.Index, template.Variant);
            var run = new StageRunRecord
            {
                JobId = job.Id,
                Node = PlanNode.NodeName(id),
                Stage = template.Stage,
                ChunkIndex = chunk.Index,
                Variant = template.Variant,
                DependsOn = template.DependsOn,
                Weight = template.Weight / chunks.Count,
                Status = StageRunStatus.Dispatched,
                DispatchedAt = template.DispatchedAt,
            };
            object command = template.Stage switch
            {
                StageKind.FaceTracking => new TrackFaces(job.Id, spec.Inputs.Video!, chunk, spec.Options.Face),
                _ => throw new InvalidOperationException($"stage {template.Stage} does not fan out"),
            };
            return (run, command);
        }).ToList();
    }

    public static T ResultOf<T>(JobRecord job, string node)
    {
        var run = job.Stages.SingleOrDefault(s => s.Node == node)
            ?? throw new InvalidOperationException($"job {job.Id} has no node '{node}'");
        if (run.ResultJson is null)
        {
            throw new InvalidOperationException($"node '{node}' of job {job.Id} has no result yet");
        }

        return JsonSerializer.Deserialize<T>(run.ResultJson, JobJson.Options)
            ?? throw new InvalidOperationException($"node '{node}' of job {job.Id} has an empty result");
    }
}
