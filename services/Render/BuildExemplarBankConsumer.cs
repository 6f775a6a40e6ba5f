using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Stages;
using Pipeline.FaceGeometry;
using Pipeline.FaceTracking.Tracking;
using Pipeline.Render.Exemplars;
using Pipeline.Rendering.Exemplars;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Render;

/// <summary>
/// The exemplar-bank stage: the target's own mouth images, chosen by shape from its face track, cut from its frames
/// and stored once per video and track (content-addressed), for every render chunk of the job to draw from.
/// </summary>
public sealed class BuildExemplarBankConsumer(StageExecution execution, IObjectStore store, ExemplarBankBuilder builder) : IConsumer<BuildExemplarBank>
{
    public const int StageVersion = 1;

    public Task Consume(ConsumeContext<BuildExemplarBank> context)
    {
        var m = context.Message;
        return execution.RunAsync(context, m.JobId, new StageRunId(StageKind.ExemplarBank), async stage =>
        {
            var ct = stage.CancellationToken;
            var inputs = new { video = m.Video.Key, tracks = m.Tracks.Select(t => t.Key).ToArray(), seconds = m.MaxSeconds, size = ExemplarBankBuilder.DefaultSize };
            var key = ArtifactKeys.ForStage("exemplar-bank", StageVersion, inputs, ExemplarBank.IndexFile);
            var pixelsKey = ArtifactKeys.Sibling(key, ExemplarBank.PixelsFile);
            if (await store.StatAsync(key, ct) is { } cached)
            {
                var known = await store.ReadBankAsync(key, ct);
                return new ExemplarBankBuilt(m.JobId, new ArtifactRef(key, cached.SizeBytes, "application/json"), known.Count, stage.Report(cacheHit: true));
            }

            var landmarks = new List<float[]>();
            var present = new List<byte[]>();
            foreach (var track in m.Tracks)
            {
                landmarks.Add(await store.ReadAsync<float>(track.Key, ct));
                present.Add(await store.ReadAsync<byte>(ArtifactKeys.Sibling(track.Key, FaceTrackFiles.Present), ct));
            }

            var allPresent = present.SelectMany(p => p).ToArray();
            var allLandmarks = landmarks.SelectMany(l => l).ToArray();
            var frames = Math.Min(allPresent.Length, allLandmarks.Length / Landmarks68.FloatCount);
            using var video = await store.GetLocalFileAsync(m.Video.Key, ct);
            var bank = await builder.BuildAsync(
                video.Path, allLandmarks.AsMemory(0, frames * Landmarks68.FloatCount), allPresent.AsMemory(0, frames), m.MaxSeconds, ExemplarBankBuilder.DefaultSize, stage.Progress, ct);

            var folder = Path.Combine(stage.ScratchDirectory, "bank");
            await bank.WriteAsync(folder, ct);
            await store.PutFileAsync(pixelsKey, Path.Combine(folder, ExemplarBank.PixelsFile), "application/octet-stream", ct);
            var stored = await store.PutFileAsync(key, Path.Combine(folder, ExemplarBank.IndexFile), "application/json", ct);
            return new ExemplarBankBuilt(m.JobId, new ArtifactRef(key, stored.SizeBytes, "application/json"), bank.Count, stage.Report(cacheHit: false));
        });
    }
}

public sealed class BuildExemplarBankConsumerDefinition : ConsumerDefinition<BuildExemplarBankConsumer>
{
    public BuildExemplarBankConsumerDefinition()
    {
        EndpointName = StageEndpoints.BuildExemplarBank;
        ConcurrentMessageLimit = Math.Max(1, Environment.ProcessorCount / 2);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<BuildExemplarBankConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseStageRetry();
}
