using MassTransit;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;

namespace Pipeline.Orchestration.Tests;

/// <summary>Drives a dub through its stages by publishing the workers' results, for tests about what happens later.</summary>
public static class JobDriver
{
    public static readonly StageReport Report = new("test-worker", 0.5, false);

    public static readonly MediaSummary Audio = new("wav", 20, false, true, AudioCodec: "pcm_s16le", SampleRate: 16000, Channels: 1);

    /// <summary>A 25 fps video of this many seconds: 10 s chunks, so 20 s makes two.</summary>
    public static MediaSummary Video(double seconds) => new("mov,mp4", seconds, true, true, 640, 480, "h264", 25, 1, (long)(seconds * 25));

    public static async Task<Guid> SubmitAsync(OrchestratorHarness t)
    {
        var id = NewId.NextGuid();
        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub() with { Options = JobOptions.Default with { Backend = new BackendSpec("warp") } }));
        await t.WaitForAsync<IngestMedia>(m => m.JobId == id);
        return id;
    }

    /// <summary>Submits a warp-backend dub of a two-chunk video and completes every stage before render.</summary>
    public static async Task<Guid> RunUntilRenderAsync(OrchestratorHarness t)
    {
        var id = await SubmitAsync(t);
        await t.Harness.Bus.Publish(new MediaIngested(id, Video(20), null, Audio, Report));
        await t.Harness.Bus.Publish(new AudioPrepared(id, new ArtifactRef("prepare-audio/v1/abc/audio.wav", 1000, "audio/wav"), 20, -3, Report));
        foreach (var (role, variant) in new[] { (AudioRole.NewSpeech, "new-speech"), (AudioRole.TargetOriginal, "target") })
        {
            await t.Harness.Bus.Publish(new AudioFeaturesExtracted(id, role, new ArtifactRef($"features/v1/{variant}/features.json", 0, "application/json"), 500, Report));
            await t.Harness.Bus.Publish(new ContentAndEmotionEncoded(
                id, role, new ArtifactRef($"content/v1/{variant}/visemes.npy", 0, "application/x-npy"), new ArtifactRef($"emotion/v1/{variant}/emotion.npy", 0, "application/x-npy"), Report));
        }

        await t.WaitForAsync<TrackFaces>(m => m.JobId == id, count: 2);
        foreach (var chunk in new[] { 0, 1 })
        {
            await t.Harness.Bus.Publish(new FacesTracked(id, chunk, new ArtifactRef($"track/v1/{chunk}/landmarks.npy", 0, "application/x-npy"), 250, Report));
        }

        await t.WaitForAsync<PredictMotion>(m => m.JobId == id);
        await t.Harness.Bus.Publish(new MotionPredicted(id, new ArtifactRef("motion/v1/m/landmarks.npy", 0, "application/x-npy"), 500, "personal", Report));
        await t.WaitForAsync<RenderChunk>(m => m.JobId == id, count: 2);
        return id;
    }

    public static ChunkRendered Rendered(Guid id, int chunk) =>
        new(id, chunk, new ArtifactRef($"render/v1/{chunk}/chunk.mp4", 4000, "video/mp4"), 250, 250, Report);
}
