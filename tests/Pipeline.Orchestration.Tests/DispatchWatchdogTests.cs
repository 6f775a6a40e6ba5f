using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;

namespace Pipeline.Orchestration.Tests;

/// <summary>The dispatch watchdog on a hand-moved clock, on SQLite and on PostgreSQL. Sweeps run when the test says.</summary>
public sealed class DispatchWatchdogTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Orchestration:SweepInterval"] = "01:00:00",
        ["Orchestration:DispatchTimeout"] = "00:02:00",
        ["Orchestration:StageTimeout"] = "00:30:00",
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_command_no_worker_started_is_sent_again_after_the_dispatch_timeout(bool postgres)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var pg = postgres ? await PostgresDatabase.CreateAsync() : null;
        await using var t = await OrchestratorHarness.StartAsync(postgres: pg?.ConnectionString, clock: clock, settings: Settings);
        var id = await JobDriver.SubmitAsync(t);

        clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(0, await t.SweepAsync());
        Assert.Equal(1, t.Count<IngestMedia>());

        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await t.SweepAsync());
        await t.WaitForAsync<IngestMedia>(m => m.JobId == id, count: 2);
        Assert.Equal(0, await t.SweepAsync()); // the next re-send waits longer: the queue may just be long
        var ingest = (await t.JobAsync(id))!.Stages.Single(s => s.Node == "ingest");
        Assert.Equal(StageRunStatus.Dispatched, ingest.Status);
        Assert.Equal(1, ingest.Redispatches);
        Assert.Equal(clock.GetUtcNow(), ingest.DispatchedAt);

        // Once ingest is done, face tracking fans out; only the chunk nobody started is sent again, not the template.
        await t.Harness.Bus.Publish(new MediaIngested(id, JobDriver.Video(20), null, JobDriver.Audio, JobDriver.Report));
        await t.WaitForAsync<TrackFaces>(m => m.JobId == id, count: 2);
        await t.Harness.Bus.Publish(new StageStarted(id, new StageRunId(StageKind.FaceTracking, 0), "worker-a", 1, clock.GetUtcNow()));
        await t.WaitConsumedAsync<StageStarted>(1);
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await t.SweepAsync());
        await t.WaitForAsync<TrackFaces>(m => m.JobId == id, count: 3);
        Assert.Equal(1, t.All<TrackFaces>().Count(c => c.Chunk.Index == 0));
        Assert.Equal(2, t.All<TrackFaces>().Count(c => c.Chunk.Index == 1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_run_that_stalls_on_three_attempts_fails_the_job_with_the_reason(bool postgres)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var pg = postgres ? await PostgresDatabase.CreateAsync() : null;
        await using var t = await OrchestratorHarness.StartAsync(postgres: pg?.ConnectionString, clock: clock, settings: Settings);
        var id = await JobDriver.SubmitAsync(t);
        var ingest = new StageRunId(StageKind.Ingest);

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await t.Harness.Bus.Publish(new StageStarted(id, ingest, $"worker-{attempt}", 1, clock.GetUtcNow()));
            await t.WaitConsumedAsync<StageStarted>(attempt);
            clock.Advance(TimeSpan.FromMinutes(29));
            Assert.Equal(0, await t.SweepAsync());
            clock.Advance(TimeSpan.FromMinutes(2));
            Assert.Equal(1, await t.SweepAsync());
            await t.WaitForAsync<IngestMedia>(m => m.JobId == id, count: attempt + 1);
            Assert.Equal(StageRunStatus.Dispatched, (await t.JobAsync(id))!.Stages.Single(s => s.Node == "ingest").Status);
        }

        // The third attempt reports progress, which keeps it alive for another stage timeout.
        await t.Harness.Bus.Publish(new StageStarted(id, ingest, "worker-3", 1, clock.GetUtcNow()));
        await t.WaitConsumedAsync<StageStarted>(3);
        clock.Advance(TimeSpan.FromMinutes(20));
        await t.Harness.Bus.Publish(new StageProgressed(id, ingest, 0.4));
        await t.WaitConsumedAsync<StageProgressed>(1);
        clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(0, await t.SweepAsync());
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await t.SweepAsync());

        await t.WaitForAsync<JobFailed>(m => m.JobId == id);
        Assert.Equal("ingest made no progress for 30 min on 3 attempts", t.Single<JobFailed>().Reason);
        Assert.Equal(3, t.Count<IngestMedia>());
        var job = await t.JobAsync(id);
        Assert.Equal(JobStatus.Failed, job!.Status);
        Assert.Equal("Stalled", job.ErrorKind);
        var attempts = await t.AttemptsAsync(id, "ingest");
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(AttemptOutcome.Abandoned, a.Outcome));
        Assert.Equal(0, await t.SweepAsync()); // a failed job is left alone
    }
}
