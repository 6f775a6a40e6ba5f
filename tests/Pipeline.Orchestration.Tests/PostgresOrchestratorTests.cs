using Pipeline.Api.Persistence;
using Pipeline.Contracts.Stages;

namespace Pipeline.Orchestration.Tests;

/// <summary>The orchestrator's key transitions with its job store on a real PostgreSQL, one database per test.</summary>
public sealed class PostgresOrchestratorTests
{
    private static readonly Dictionary<string, string?> NoSweeps = new() { ["Orchestration:SweepInterval"] = "01:00:00" };

    [Fact]
    public async Task Submitting_records_the_plan_and_dispatches_ingest()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var t = await OrchestratorHarness.StartAsync(postgres: pg.ConnectionString, settings: NoSweeps);

        var id = await JobDriver.SubmitAsync(t);

        var job = await t.JobAsync(id);
        Assert.Equal(JobStatus.Queued, job!.Status);
        Assert.Equal(11, job.Stages.Count);
        var ingest = job.Stages.Single(s => s.Node == "ingest");
        Assert.Equal(StageRunStatus.Dispatched, ingest.Status);
        Assert.Equal(TimeSpan.Zero, ingest.DispatchedAt!.Value.Offset);
        Assert.Equal(1, t.Count<IngestMedia>());
    }

    [Fact]
    public async Task A_duplicate_completion_changes_nothing()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var t = await OrchestratorHarness.StartAsync(postgres: pg.ConnectionString, settings: NoSweeps);
        var id = await JobDriver.SubmitAsync(t);

        var ingested = new MediaIngested(id, JobDriver.Video(5), null, JobDriver.Audio, JobDriver.Report);
        await t.Harness.Bus.Publish(ingested);
        await t.Harness.Bus.Publish(ingested);
        await t.WaitConsumedAsync<MediaIngested>(2);

        Assert.Equal(1, t.Count<PrepareAudio>());
        Assert.Equal(1, t.Count<TrackFaces>());
        var job = await t.JobAsync(id);
        Assert.Equal(StageRunStatus.Succeeded, job!.Stages.Single(s => s.Node == "ingest").Status);
        Assert.Equal(1, job.Stages.Single(s => s.Node == "ingest").Attempts);
        Assert.Single(await t.AttemptsAsync(id, "ingest"));
    }

    [Fact]
    public async Task Two_replicas_completing_render_chunks_at_once_lose_neither()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var a = await OrchestratorHarness.StartAsync(postgres: pg.ConnectionString, settings: NoSweeps);
        await using var b = await OrchestratorHarness.StartAsync(postgres: pg.ConnectionString, settings: NoSweeps);
        var id = await JobDriver.RunUntilRenderAsync(a);

        // Each replica consumes one chunk's result with its own DbContext: the job row's version makes one of
        // them re-read and join the other's result instead of overwriting it.
        await Task.WhenAll(a.Harness.Bus.Publish(JobDriver.Rendered(id, 0)), b.Harness.Bus.Publish(JobDriver.Rendered(id, 1)));
        await OrchestratorHarness.WaitUntilAsync(() => a.Count<MuxOutput>() + b.Count<MuxOutput>() >= 1, "mux dispatched by either replica");

        var job = await a.JobAsync(id);
        Assert.Equal(StageRunStatus.Succeeded, job!.Stages.Single(s => s.Node == "render/0").Status);
        Assert.Equal(StageRunStatus.Succeeded, job.Stages.Single(s => s.Node == "render/1").Status);
        Assert.Equal(StageRunStatus.Succeeded, job.Stages.Single(s => s.Node == "render").Status);
        Assert.Equal(StageRunStatus.Dispatched, job.Stages.Single(s => s.Node == "mux").Status);
        var mux = a.All<MuxOutput>().Concat(b.All<MuxOutput>()).Single();
        Assert.Equal(["render/v1/0/chunk.mp4", "render/v1/1/chunk.mp4"], mux.RenderedChunks.Select(c => c.Key));
    }
}
