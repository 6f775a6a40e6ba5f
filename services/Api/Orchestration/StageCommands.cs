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
