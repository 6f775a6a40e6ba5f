using MassTransit;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;

namespace Pipeline.Orchestration.Tests;

/// <summary>
/// RetryJob on the real orchestrator and SQLite store: a dub whose second render chunk fails once, then succeeds when
/// retried, either from the failed run alone or from ingest on. Same job id; the failed attempt stays in the history.
/// </summary>
public sealed class RetryTests
{
    [Fact]
    public async Task Failed_stage_scope_re_sends_only_the_failed_chunk_and_the_dag_goes_on_from_there()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = await FailSecondRenderChunkAsync(t);

        await t.Harness.Bus.Send(new RetryJob(id, RetryScope.FailedStage));
        await t.WaitForAsync<RenderChunk>(m => m.JobId == id, count: 3);
        await t.WaitForAsync<JobRetried>(m => m.JobId == id);

        var retried = await t.JobAsync(id);
        Assert.Equal(JobStatus.Queued, retried!.Status);
        Assert.Null(retried.Error);
        Assert.Null(retried.FailedStage);
        Assert.Null(retried.FinishedAt);
        Assert.Equal(1, t.Count<RenderChunk>(m => m.JobId == id && m.Chunk.Index == 0));
        Assert.Equal(2, t.Count<RenderChunk>(m => m.JobId == id && m.Chunk.Index == 1));
        Assert.Equal(1, t.Count<IngestMedia>(m => m.JobId == id));
        Assert.Equal(1, t.Count<PredictMotion>(m => m.JobId == id));
        Assert.Equal(StageRunStatus.Succeeded, retried.Stages.Single(s => s.Node == "render/0").Status);
        Assert.Equal(StageRunStatus.Succeeded, retried.Stages.Single(s => s.Node == "motion").Status);
        Assert.Equal(StageRunStatus.Dispatched, retried.Stages.Single(s => s.Node == "render/1").Status);

        await CompleteAsync(t, id, chunks: [1]);
        var done = await t.JobAsync(id);
        Assert.Equal(JobStatus.Succeeded, done!.Status);
        var attempts = await t.AttemptsAsync(id, "render/1");
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Succeeded], attempts.Select(a => a.Outcome!.Value));
    }

    [Fact]
    public async Task Job_scope_re_runs_every_stage_from_ingest_in_the_same_rows()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = await FailSecondRenderChunkAsync(t);
        var nodes = (await t.JobAsync(id))!.Stages.Select(s => (s.Id, s.Node)).Order().ToList();

        await t.Harness.Bus.Send(new RetryJob(id, RetryScope.Job));
        await t.WaitForAsync<IngestMedia>(m => m.JobId == id, count: 2);
        var retried = await t.JobAsync(id);
        Assert.Equal(JobStatus.Queued, retried!.Status);
        Assert.All(retried.Stages.Where(s => s.Node != "ingest"), s => Assert.Equal(StageRunStatus.Pending, s.Status));
        Assert.All(retried.Stages, s => Assert.Null(s.ResultJson));
        Assert.Equal(1, t.Count<PrepareAudio>(m => m.JobId == id)); // waits for the new ingest

        // The whole DAG again; the fan-outs take their old chunk rows over.
        await t.Harness.Bus.Publish(new MediaIngested(id, JobDriver.Video(20), null, JobDriver.Audio, JobDriver.Report));
        await t.WaitForAsync<TrackFaces>(m => m.JobId == id, count: 4);
        await t.Harness.Bus.Publish(new AudioPrepared(id, new ArtifactRef("prepare-audio/v1/abc/audio.wav", 1000, "audio/wav"), 20, -3, JobDriver.Report));
        foreach (var (role, variant) in new[] { (AudioRole.NewSpeech, "new-speech"), (AudioRole.TargetOriginal, "target") })
        {
            await t.Harness.Bus.Publish(new AudioFeaturesExtracted(id, role, new ArtifactRef($"features/v1/{variant}/features.json", 0, "application/json"), 500, JobDriver.Report));
            await t.Harness.Bus.Publish(new ContentAndEmotionEncoded(
                id, role, new ArtifactRef($"content/v1/{variant}/visemes.npy", 0, "application/x-npy"), new ArtifactRef($"emotion/v1/{variant}/emotion.npy", 0, "application/x-npy"), JobDriver.Report));
        }

        foreach (var chunk in new[] { 0, 1 })
        {
            await t.Harness.Bus.Publish(new FacesTracked(id, chunk, new ArtifactRef($"track/v1/{chunk}/landmarks.npy", 0, "application/x-npy"), 250, JobDriver.Report));
        }

        await t.WaitForAsync<PredictMotion>(m => m.JobId == id, count: 2);
        await t.Harness.Bus.Publish(new MotionPredicted(id, new ArtifactRef("motion/v1/m/landmarks.npy", 0, "application/x-npy"), 500, "personal", JobDriver.Report));
        await t.WaitForAsync<RenderChunk>(m => m.JobId == id, count: 4);
        await CompleteAsync(t, id, chunks: [0, 1]);

        var done = await t.JobAsync(id);
        Assert.Equal(JobStatus.Succeeded, done!.Status);
        Assert.Equal(nodes, done.Stages.Select(s => (s.Id, s.Node)).Order().ToList());
        var attempts = await t.AttemptsAsync(id, "render/1");
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Succeeded], attempts.Select(a => a.Outcome!.Value));
        Assert.Equal(2, (await t.AttemptsAsync(id, "render/0")).Count);
    }

    [Fact]
    public async Task A_retry_of_a_job_that_has_not_failed_changes_nothing()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = await JobDriver.SubmitAsync(t);

        await t.Harness.Bus.Send(new RetryJob(id, RetryScope.Job));
        await t.WaitConsumedAsync<RetryJob>(1);

        Assert.Equal(1, t.Count<IngestMedia>(m => m.JobId == id));
        Assert.Equal(0, t.Count<JobRetried>());
        Assert.Equal(JobStatus.Queued, (await t.JobAsync(id))!.Status);
    }

    /// <summary>A two-chunk dub whose chunk 0 renders and chunk 1 fails: the job fails at render/1.</summary>
    private static async Task<Guid> FailSecondRenderChunkAsync(OrchestratorHarness t)
    {
        var id = await JobDriver.RunUntilRenderAsync(t);
        await t.Harness.Bus.Publish(new StageStarted(id, new StageRunId(StageKind.Render, 0), JobDriver.Report.Worker, 1, DateTimeOffset.UtcNow));
        await t.Harness.Bus.Publish(new StageStarted(id, new StageRunId(StageKind.Render, 1), JobDriver.Report.Worker, 1, DateTimeOffset.UtcNow));
        await t.Harness.Bus.Publish(JobDriver.Rendered(id, 0));
        await t.Harness.Bus.Publish(new StageFailed(id, new StageRunId(StageKind.Render, 1), "the GPU fell off the bus", "Internal", false, DateTimeOffset.UtcNow));
        await t.WaitForAsync<JobFailed>(m => m.JobId == id);
        var failed = await t.JobAsync(id);
        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.Equal("render/1", failed.FailedStage);
        return id;
    }

    private static async Task CompleteAsync(OrchestratorHarness t, Guid id, int[] chunks)
    {
        var muxes = t.Count<MuxOutput>(m => m.JobId == id);
        foreach (var chunk in chunks)
        {
            await t.Harness.Bus.Publish(new StageStarted(id, new StageRunId(StageKind.Render, chunk), JobDriver.Report.Worker, 1, DateTimeOffset.UtcNow));
            await t.Harness.Bus.Publish(JobDriver.Rendered(id, chunk));
        }

        await t.WaitForAsync<MuxOutput>(m => m.JobId == id, count: muxes + 1);
        await t.Harness.Bus.Publish(new OutputMuxed(id, new ArtifactRef("mux/v1/out/output.mp4", 4000, "video/mp4"), 20, true, JobDriver.Report));
        await t.WaitForAsync<JobCompleted>(m => m.JobId == id);
    }
}
