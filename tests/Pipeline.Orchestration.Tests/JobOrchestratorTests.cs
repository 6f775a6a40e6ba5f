using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;
using Pipeline.ServiceDefaults;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests;

/// <summary>
/// The orchestrator's transitions on the real consumers and a real SQLite job store. Stage workers are absent
/// (their commands stay visible to the test) except where a test adds one.
/// </summary>
public sealed class JobOrchestratorTests
{
    private static readonly StageReport Report = new("test-worker", 0.5, false);
    private static readonly MediaSummary Video = new("mov,mp4", 5, true, true, 640, 480, "h264", 25, 1, 125);
    private static readonly MediaSummary Audio = new("wav", 4, false, true, AudioCodec: "pcm_s16le", SampleRate: 16000, Channels: 1);

    [Fact]
    public async Task Submitting_a_dub_records_the_plan_and_dispatches_ingest_only()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = NewId.NextGuid();

        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()));
        await t.WaitForAsync<JobAccepted>(m => m.JobId == id);
        await t.WaitForAsync<IngestMedia>(m => m.JobId == id);

        Assert.Equal(0, t.Count<PrepareAudio>());
        var job = await t.JobAsync(id);
        Assert.NotNull(job);
        Assert.Equal(
            ["encoding/new-speech", "encoding/target", "exemplar-bank", "features/new-speech", "features/target", "ingest", "motion", "mux", "prepare-audio", "render", "track"],
            job.Stages.Select(s => s.Node).Order(StringComparer.Ordinal));
        Assert.Equal(StageRunStatus.Dispatched, job.Stages.Single(s => s.Node == "ingest").Status);
        Assert.Equal("track,encoding/new-speech,encoding/target", job.Stages.Single(s => s.Node == "motion").DependsOn);
        Assert.Equal("track", job.Stages.Single(s => s.Node == "exemplar-bank").DependsOn);
        Assert.Equal("motion,exemplar-bank", job.Stages.Single(s => s.Node == "render").DependsOn);
        Assert.Equal("prepare-audio,render", job.Stages.Single(s => s.Node == "mux").DependsOn);
    }

    [Fact]
    public async Task A_duplicate_submit_creates_one_job()
    {
        // A job store that gives up on a lock after one second, and a lock held for longer while the submits arrive:
        // the first save fails as it would in an outage, and the submit is retried. Whatever a failed try did must
        // not be seen, so one job is announced and dispatched however often the submit runs (it once published
        // JobAccepted on every try, before saving).
        using var scratch = new ScratchDirectory("duplicate-submit");
        var connection = $"Data Source={scratch.File("jobs.db")};Default Timeout=1";
        await using var t = await OrchestratorHarness.StartAsync(settings: new Dictionary<string, string?> { ["JobStore:ConnectionString"] = connection });
        var id = NewId.NextGuid();
        await using (var scope = t.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
            await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
            await db.Database.ExecuteSqlRawAsync("BEGIN IMMEDIATE", TestContext.Current.CancellationToken);
            await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()), TestContext.Current.CancellationToken);
            await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()), TestContext.Current.CancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
            await db.Database.ExecuteSqlRawAsync("ROLLBACK", TestContext.Current.CancellationToken);
        }

        await t.WaitConsumedAsync<SubmitJob>(2);

        Assert.Equal(1, t.Count<IngestMedia>());
        Assert.Equal(1, t.Count<JobAccepted>());
        Assert.NotNull(await t.JobAsync(id));
    }

    [Fact]
    public async Task The_dag_runs_to_completion_and_a_redelivered_event_changes_nothing()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = NewId.NextGuid();
        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()));
        await t.WaitForAsync<IngestMedia>();

        var ingested = new MediaIngested(id, Video, null, Audio, Report);
        await t.Harness.Bus.Publish(ingested);
        await t.Harness.Bus.Publish(ingested); // at-least-once delivery: the same event twice
        await t.WaitConsumedAsync<MediaIngested>(2);
        Assert.Equal(1, t.Count<PrepareAudio>(m => m.JobId == id));

        // Face tracking fans out over the video's 125 frames in 10 s chunks: one chunk, then the join.
        await t.WaitForAsync<TrackFaces>(m => m.JobId == id);
        var track = t.Single<TrackFaces>();
        Assert.Equal(new ChunkRange(0, 0, 125, 0, 5), track.Chunk);

        // Both speech tracks are analysed on the video's clock: the new speech, and the video's own sound.
        await t.WaitForAsync<ExtractAudioFeatures>(m => m.JobId == id, count: 2);
        var features = t.All<ExtractAudioFeatures>().ToDictionary(f => f.Role);
        Assert.Equal("inputs/bb/audio.wav", features[AudioRole.NewSpeech].Audio.Key);
        Assert.Equal("inputs/aa/video.mp4", features[AudioRole.TargetOriginal].Audio.Key);
        Assert.All(features.Values, f => Assert.Equal((25, 1), (f.FrameRateNumerator, f.FrameRateDenominator)));
        Assert.Null(features[AudioRole.NewSpeech].MaxSeconds); // every second of the new speech is dubbed
        Assert.Equal(StageCommands.TargetSpeechSeconds, features[AudioRole.TargetOriginal].MaxSeconds); // the fit needs minutes, not the film
        await PublishFeaturesAsync(t, id, AudioRole.NewSpeech);
        await PublishFeaturesAsync(t, id, AudioRole.TargetOriginal);
        await t.WaitForAsync<EncodeContentAndEmotion>(m => m.JobId == id, count: 2);
        var encodings = t.All<EncodeContentAndEmotion>().ToDictionary(e => e.Role);
        Assert.Equal("features/v1/new-speech/features.json", encodings[AudioRole.NewSpeech].Features.Key);
        Assert.Equal(EmotionSpec.Neutral.Timeline, encodings[AudioRole.TargetOriginal].Emotion.Timeline);
        Assert.Equal(125, encodings[AudioRole.TargetOriginal].Frames);

        var pcm = new ArtifactRef("prepare-audio/v1/abc/audio.wav", 1000, "audio/wav");
        await t.Harness.Bus.Publish(new AudioPrepared(id, pcm, 4, -3, Report));
        await t.Harness.Bus.Publish(new FacesTracked(id, 0, new ArtifactRef("track/v1/xyz/landmarks.npy", 0, "application/x-npy"), 125, Report));
        await PublishEncodedAsync(t, id, AudioRole.NewSpeech);
        await t.WaitConsumedAsync<ContentAndEmotionEncoded>(1);
        await t.WaitConsumedAsync<FacesTracked>(1);
        Assert.Equal(0, t.Count<PredictMotion>()); // still waiting for the target's own speech
        await PublishEncodedAsync(t, id, AudioRole.TargetOriginal);
        await t.WaitForAsync<PredictMotion>(m => m.JobId == id);
        var motion = t.Single<PredictMotion>();
        Assert.Equal(["track/v1/xyz/landmarks.npy"], motion.Tracks.Select(r => r.Key));
        Assert.Equal("content/v1/target/visemes.npy", motion.TargetContent!.Key);
        Assert.Equal("content/v1/new-speech/visemes.npy", motion.NewContent.Key);
        Assert.Equal("features/v1/target/features.json", motion.TargetFeatures!.Key);
        Assert.Equal(0, t.Count<MuxOutput>());

        // The exemplar backend (the dub default) draws from a bank of the target's own mouths, cut once the track is in.
        await t.WaitForAsync<BuildExemplarBank>(m => m.JobId == id);
        var bankCommand = t.Single<BuildExemplarBank>();
        Assert.Equal(["track/v1/xyz/landmarks.npy"], bankCommand.Tracks.Select(r => r.Key));
        Assert.Equal(StageCommands.ExemplarBankSeconds, bankCommand.MaxSeconds);
        var bank = new ArtifactRef("exemplar-bank/v1/b/bank.json", 10, "application/json");
        await t.Harness.Bus.Publish(new ExemplarBankBuilt(id, bank, 50, Report));
        await t.WaitConsumedAsync<ExemplarBankBuilt>(1);
        Assert.Equal(0, t.Count<RenderChunk>()); // rendering waits for motion too

        await t.Harness.Bus.Publish(new MotionPredicted(id, new ArtifactRef("motion/v1/m/landmarks.npy", 0, "application/x-npy"), 100, "personal", Report));
        await t.WaitForAsync<RenderChunk>(m => m.JobId == id);
        var render = t.Single<RenderChunk>();
        Assert.Equal(new ChunkRange(0, 0, 100, 0, 4), render.Chunk); // the output ends with the 4 s of speech: 100 frames, not 125
        Assert.Equal("exemplar", render.Backend.Name);
        Assert.Equal(bank, render.Bank);
        Assert.Equal("track/v1/xyz/landmarks.npy", render.Track.Key);
        Assert.Equal("motion/v1/m/landmarks.npy", render.Motion.Key);
        Assert.Equal(0, t.Count<MuxOutput>());

        var chunk = new ArtifactRef("render/v1/c/chunk.mp4", 4000, "video/mp4");
        await t.Harness.Bus.Publish(new ChunkRendered(id, 0, chunk, 125, 120, Report));
        await t.WaitForAsync<MuxOutput>(m => m.JobId == id);
        var mux = t.Single<MuxOutput>();
        Assert.Equal([chunk], mux.RenderedChunks);
        Assert.Equal(pcm, mux.Audio);
        Assert.Equal("inputs/aa/video.mp4", mux.Video.Key);
        Assert.Equal(LengthPolicy.Cut, mux.LengthPolicy);

        var output = new ArtifactRef("mux/v1/def/output.mp4", 5000, "video/mp4");
        await t.Harness.Bus.Publish(new OutputMuxed(id, output, 4, true, Report));
        await t.WaitForAsync<JobCompleted>(m => m.JobId == id);
        var completed = t.Single<JobCompleted>();
        Assert.Equal(output, completed.Output);
        Assert.Equal(
            ["encoding/new-speech", "encoding/target", "exemplar-bank", "features/new-speech", "features/target", "ingest", "motion", "mux", "prepare-audio", "render", "render/0", "track", "track/0"],
            completed.StageSeconds.Keys.Order(StringComparer.Ordinal));

        await t.Harness.Bus.Publish(new OutputMuxed(id, output, 4, true, Report));
        await t.WaitConsumedAsync<OutputMuxed>(2);
        Assert.Equal(1, t.Count<JobCompleted>());

        var job = await t.JobAsync(id);
        Assert.Equal(JobStatus.Succeeded, job!.Status);
        Assert.Equal(1.0, job.Progress);
        Assert.Equal("mux/v1/def/output.mp4", job.OutputKey);
        Assert.All(job.Stages, s => Assert.Equal(StageRunStatus.Succeeded, s.Status));
    }

    [Fact]
    public async Task Face_tracking_fans_out_per_chunk_and_motion_waits_for_every_chunk()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = NewId.NextGuid();
        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()));
        await t.WaitForAsync<IngestMedia>();
        var longVideo = Video with { DurationSeconds = 25, FrameCount = 625 };
        await t.Harness.Bus.Publish(new MediaIngested(id, longVideo, null, Audio, Report));
        await t.WaitForAsync<TrackFaces>(m => m.JobId == id, 3);
        Assert.Equal([(0L, 250), (250L, 250), (500L, 125)], t.All<TrackFaces>().OrderBy(c => c.Chunk.Index).Select(c => (c.Chunk.StartFrame, c.Chunk.FrameCount)));

        await t.Harness.Bus.Publish(new AudioPrepared(id, new ArtifactRef("prepare-audio/v1/abc/audio.wav", 1000, "audio/wav"), 25, -3, Report));
        foreach (var role in new[] { AudioRole.NewSpeech, AudioRole.TargetOriginal })
        {
            await PublishFeaturesAsync(t, id, role);
            await PublishEncodedAsync(t, id, role);
        }

        var chunk = (int i) => new FacesTracked(id, i, new ArtifactRef($"track/v1/{i}/landmarks.npy", 0, "application/x-npy"), 10, Report);
        await t.Harness.Bus.Publish(chunk(2));
        await t.Harness.Bus.Publish(chunk(0));
        await t.Harness.Bus.Publish(chunk(0)); // redelivered
        await t.WaitConsumedAsync<FacesTracked>(3);
        Assert.Equal(0, t.Count<PredictMotion>());
        var waiting = await t.JobAsync(id);
        Assert.Equal(StageRunStatus.Dispatched, waiting!.Stages.Single(s => s.Node == "track").Status);

        await t.Harness.Bus.Publish(chunk(1));
        await t.WaitForAsync<PredictMotion>(m => m.JobId == id);
        var job = await t.JobAsync(id);
        Assert.Equal(StageRunStatus.Succeeded, job!.Stages.Single(s => s.Node == "track").Status);
        Assert.Equal(3, job.Stages.Count(s => s.Node.StartsWith("track/", StringComparison.Ordinal)));
        Assert.Equal(["track/v1/0/landmarks.npy", "track/v1/1/landmarks.npy", "track/v1/2/landmarks.npy"], t.Single<PredictMotion>().Tracks.Select(r => r.Key));
    }

    [Fact]
    public async Task A_target_without_sound_skips_its_own_speech_and_motion_gets_no_target_speech()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = NewId.NextGuid();
        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()));
        await t.WaitForAsync<IngestMedia>();
        await t.Harness.Bus.Publish(new MediaIngested(id, Video with { HasAudio = false }, null, Audio, Report));
        await t.WaitForAsync<ExtractAudioFeatures>(m => m.JobId == id);
        await t.WaitForAsync<TrackFaces>(m => m.JobId == id);

        var job = await t.JobAsync(id);
        Assert.Equal(AudioRole.NewSpeech, t.Single<ExtractAudioFeatures>().Role);
        Assert.Equal(StageRunStatus.Succeeded, job!.Stages.Single(s => s.Node == "features/target").Status);
        Assert.Equal(StageRunStatus.Succeeded, job.Stages.Single(s => s.Node == "encoding/target").Status);

        await PublishFeaturesAsync(t, id, AudioRole.NewSpeech);
        await PublishEncodedAsync(t, id, AudioRole.NewSpeech);
        await t.Harness.Bus.Publish(new FacesTracked(id, 0, new ArtifactRef("track/v1/xyz/landmarks.npy", 0, "application/x-npy"), 125, Report));
        await t.WaitForAsync<PredictMotion>(m => m.JobId == id);
        var motion = t.Single<PredictMotion>();
        Assert.Null(motion.TargetFeatures);
        Assert.Null(motion.TargetContent);
        Assert.Equal(1, t.Count<EncodeContentAndEmotion>());
    }

    [Fact]
    public async Task A_next_stage_that_cannot_be_prepared_fails_the_job_instead_of_leaving_it_waiting()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = NewId.NextGuid();
        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()));
        await t.WaitForAsync<IngestMedia>();

        // An ingest result without the video the dub needs: the next commands cannot be built from it.
        await t.Harness.Bus.Publish(new MediaIngested(id, null, null, Audio, Report));
        await t.WaitForAsync<JobFailed>(m => m.JobId == id);

        Assert.Contains("internal error preparing", t.Single<JobFailed>().Reason);
        Assert.Equal(JobStatus.Failed, (await t.JobAsync(id))!.Status);
        Assert.Equal(0, t.Count<TrackFaces>());
    }

    // A one-chunk dub with this backend, driven through every stage before render until the render command is sent.
    private static async Task<Guid> RunUntilRenderAsync(OrchestratorHarness t, BackendSpec backend)
    {
        var id = NewId.NextGuid();
        var spec = Jobs.Dub() with { Options = JobOptions.Default with { Backend = backend } };
        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", spec));
        await t.WaitForAsync<IngestMedia>();
        await t.Harness.Bus.Publish(new MediaIngested(id, Video, null, Audio, Report));
        foreach (var role in new[] { AudioRole.NewSpeech, AudioRole.TargetOriginal })
        {
            await PublishFeaturesAsync(t, id, role);
            await PublishEncodedAsync(t, id, role);
        }

        await t.WaitForAsync<TrackFaces>(m => m.JobId == id);
        await t.Harness.Bus.Publish(new FacesTracked(id, 0, new ArtifactRef("track/v1/xyz/landmarks.npy", 0, "application/x-npy"), 125, Report));
        await t.WaitForAsync<PredictMotion>(m => m.JobId == id);
        await t.Harness.Bus.Publish(new MotionPredicted(id, new ArtifactRef("motion/v1/m/landmarks.npy", 0, "application/x-npy"), 125, "personal", Report));
        await t.WaitForAsync<RenderChunk>(m => m.JobId == id);
        return id;
    }

    private static string Variant(AudioRole role) => role == AudioRole.NewSpeech ? "new-speech" : "target";

    private static Task PublishFeaturesAsync(OrchestratorHarness t, Guid id, AudioRole role) =>
        t.Harness.Bus.Publish(new AudioFeaturesExtracted(id, role, new ArtifactRef($"features/v1/{Variant(role)}/features.json", 0, "application/json"), 125, Report));

    private static Task PublishEncodedAsync(OrchestratorHarness t, Guid id, AudioRole role) =>
        t.Harness.Bus.Publish(new ContentAndEmotionEncoded(
            id, role, new ArtifactRef($"content/v1/{Variant(role)}/visemes.npy", 0, "application/x-npy"), new ArtifactRef($"emotion/v1/{Variant(role)}/emotion.npy", 0, "application/x-npy"), Report));

    [Fact]
    public async Task A_stage_failure_fails_the_job_once_with_the_stage_reason()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = NewId.NextGuid();
        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()));
        await t.WaitForAsync<IngestMedia>();

        var failure = new StageFailed(id, new StageRunId(StageKind.Ingest), "'v.mp4' has no video stream", "NoVideoStream", false, DateTimeOffset.UtcNow);
        await t.Harness.Bus.Publish(failure);
        await t.Harness.Bus.Publish(failure);
        await t.Harness.Bus.Publish(new MediaIngested(id, Video, null, Audio, Report)); // late: ignored
        await t.WaitConsumedAsync<StageFailed>(2);
        await t.WaitConsumedAsync<MediaIngested>(1);

        Assert.Equal(1, t.Count<JobFailed>());
        var failed = t.Single<JobFailed>();
        Assert.Equal("ingest", failed.Stage);
        Assert.Equal("'v.mp4' has no video stream", failed.Reason);
        Assert.Equal(0, t.Count<PrepareAudio>());
        var job = await t.JobAsync(id);
        Assert.Equal(JobStatus.Failed, job!.Status);
        Assert.Equal("NoVideoStream", job.ErrorKind);
    }

    [Fact]
    public async Task A_mode_that_cannot_run_yet_fails_at_submit_with_a_reason()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = NewId.NextGuid();
        var spec = Jobs.Dub() with { Mode = JobMode.Speak };

        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", spec));
        await t.WaitForAsync<JobFailed>(m => m.JobId == id);

        Assert.Contains("speak mode is not available yet", t.Single<JobFailed>().Reason);
        Assert.Equal(0, t.Count<IngestMedia>());
        Assert.Equal(JobStatus.Failed, (await t.JobAsync(id))!.Status);
    }

    [Theory]
    [InlineData("nonsense", "unknown backend 'nonsense'")]
    [InlineData("onnx", "the onnx backend needs a model manifest: pass --model path/to/manifest.json")]
    public async Task A_backend_that_cannot_run_fails_at_submit_with_a_reason(string backend, string reason)
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = NewId.NextGuid();
        var spec = Jobs.Dub() with { Options = JobOptions.Default with { Backend = new BackendSpec(backend) } };

        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", spec));
        await t.WaitForAsync<JobFailed>(m => m.JobId == id);

        Assert.Contains(reason, t.Single<JobFailed>().Reason);
        Assert.Equal(0, t.Count<IngestMedia>());
    }

    [Fact]
    public async Task The_warp_backend_skips_the_exemplar_bank_and_renders_without_one()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = await RunUntilRenderAsync(t, new BackendSpec("warp"));

        Assert.Equal(0, t.Count<BuildExemplarBank>());
        var render = t.Single<RenderChunk>();
        Assert.Equal("warp", render.Backend.Name);
        Assert.Null(render.Bank);
        var job = await t.JobAsync(id);
        Assert.Equal("null", job!.Stages.Single(s => s.Node == "exemplar-bank").ResultJson);
    }

    [Fact]
    public async Task The_onnx_backend_skips_the_bank_and_renders_with_its_manifest_and_the_new_speechs_features()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = await RunUntilRenderAsync(t, new BackendSpec("onnx", "inputs/cc/manifest.json"));

        Assert.Equal(0, t.Count<BuildExemplarBank>());
        var render = t.Single<RenderChunk>();
        Assert.Equal(new BackendSpec("onnx", "inputs/cc/manifest.json"), render.Backend);
        Assert.Null(render.Bank);
        Assert.Equal($"features/v1/{Variant(AudioRole.NewSpeech)}/features.json", render.Features?.Key);
    }

    [Fact]
    public async Task Cancelling_stops_the_dag_and_tells_every_worker()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = NewId.NextGuid();
        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()));
        await t.WaitForAsync<IngestMedia>();

        await t.Harness.Bus.Send(new CancelJob(id, "user asked"));
        await t.WaitForAsync<JobCancelled>(m => m.JobId == id);
        await t.Harness.Bus.Publish(new MediaIngested(id, Video, null, Audio, Report));
        await t.WaitConsumedAsync<MediaIngested>(1);
        await t.WaitConsumedAsync<JobCancelled>(1);

        Assert.Equal(0, t.Count<PrepareAudio>());
        var job = await t.JobAsync(id);
        Assert.Equal(JobStatus.Cancelled, job!.Status);
        Assert.All(job.Stages, s => Assert.Equal(StageRunStatus.Cancelled, s.Status));
        Assert.True(t.Services.GetRequiredService<JobCancellations>().IsCancelled(id));
    }

    [Fact]
    public async Task A_stage_that_faults_after_its_retries_fails_the_job_as_an_internal_error()
    {
        await using var t = await OrchestratorHarness.StartAsync(x => x.AddConsumer<ThrowingPrepareAudioConsumer>()
            .Endpoint(e => e.Name = StageEndpoints.PrepareAudio));
        var id = NewId.NextGuid();
        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()));
        await t.WaitForAsync<IngestMedia>();

        await t.Harness.Bus.Publish(new MediaIngested(id, Video, null, Audio, Report));
        await t.WaitForAsync<JobFailed>(m => m.JobId == id);

        var failed = t.Single<JobFailed>();
        Assert.Equal("prepare-audio", failed.Stage);
        Assert.Equal("internal error in prepare-audio: disk on fire", failed.Reason);
    }

    [Fact]
    public async Task Stage_progress_moves_the_job_forward_monotonically()
    {
        await using var t = await OrchestratorHarness.StartAsync();
        var id = NewId.NextGuid();
        await t.Harness.Bus.Send(new SubmitJob(id, "tenant-a", Jobs.Dub()));
        await t.WaitForAsync<IngestMedia>();

        await t.Harness.Bus.Publish(new StageStarted(id, new StageRunId(StageKind.Ingest), "w1", 1, DateTimeOffset.UtcNow));
        await t.Harness.Bus.Publish(new StageProgressed(id, new StageRunId(StageKind.Ingest), 0.5));
        await t.WaitConsumedAsync<StageProgressed>(1);
        await t.Harness.Bus.Publish(new StageProgressed(id, new StageRunId(StageKind.Ingest), 0.2)); // stale, out of order
        await t.WaitConsumedAsync<StageProgressed>(2);

        var job = await t.JobAsync(id);
        var ingest = job!.Stages.Single(s => s.Node == "ingest");
        Assert.Equal(StageRunStatus.Running, ingest.Status);
        Assert.Equal("w1", ingest.Worker);
        Assert.Equal(0.5, ingest.Progress);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal(0.025, job.Progress, 6);
    }
}

/// <summary>A stage consumer with a bug: every attempt throws, so MassTransit publishes a Fault.</summary>
public sealed class ThrowingPrepareAudioConsumer : IConsumer<PrepareAudio>
{
    public Task Consume(ConsumeContext<PrepareAudio> context) => throw new InvalidOperationException("disk on fire\nat line 2");
}
