using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Stages;
using Pipeline.FaceTracking.Tracking;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Motion;

/// <summary>
/// Face tracking over one chunk (a frame range) of the target video. The artifact's key is made of the video's
/// content-addressed key, the chunk and the face selection, so a catalog video dubbed into ten languages is tracked
/// once: the other nine jobs find every chunk already stored.
/// </summary>
public sealed class TrackFacesConsumer(StageExecution execution, IObjectStore store, FaceTrackRunner tracker)
    : IConsumer<TrackFaces>
{
    public const int StageVersion = 1;

    public Task Consume(ConsumeContext<TrackFaces> context)
    {
        var m = context.Message;
        var run = new StageRunId(StageKind.FaceTracking, m.Chunk.Index);
        return execution.RunAsync(context, m.JobId, run, async stage =>
        {
            var ct = stage.CancellationToken;
            var inputs = new { video = m.Video.Key, start = m.Chunk.StartFrame, frames = m.Chunk.FrameCount, face = m.Face };
            var key = ArtifactKeys.ForStage("track", StageVersion, inputs, FaceTrackFiles.Landmarks);
            var sidecarKey = ArtifactKeys.Sibling(key, FaceTrackFiles.Sidecar);

            // The sidecar is stored last, so its presence means every array is complete.
            if (await store.StatAsync(sidecarKey, ct) is not null)
            {
                await using var stream = await store.OpenReadAsync(sidecarKey, ct);
                var known = await FaceTrackSidecar.ReadAsync(stream, ct);
                return new FacesTracked(m.JobId, m.Chunk.Index, new ArtifactRef(key, 0, "application/x-npy"), known.Counts.FaceFrames, stage.Report(cacheHit: true));
            }

            using var video = await store.GetLocalFileAsync(m.Video.Key, ct);
            var folder = Path.Combine(stage.ScratchDirectory, "track");
            var summary = await tracker.RunAsync(video.Path, m.Chunk, m.Face, folder, stage.Progress, ct);
            foreach (var file in FaceTrackFiles.Arrays)
            {
                await store.PutFileAsync(ArtifactKeys.Sibling(key, file), Path.Combine(folder, file), "application/x-npy", ct);
            }

            await store.PutFileAsync(sidecarKey, Path.Combine(folder, FaceTrackFiles.Sidecar), "application/json", ct);
            return new FacesTracked(m.JobId, m.Chunk.Index, new ArtifactRef(key, 0, "application/x-npy"), summary.FaceFrames, stage.Report(cacheHit: false));
        });
    }
}

public sealed class TrackFacesConsumerDefinition : ConsumerDefinition<TrackFacesConsumer>
{
    public TrackFacesConsumerDefinition()
    {
        EndpointName = StageEndpoints.TrackFaces;
        // One chunk per core: the tracker is single-threaded and CPU-bound.
        ConcurrentMessageLimit = Environment.ProcessorCount;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TrackFacesConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
