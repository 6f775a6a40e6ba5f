using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;
using Pipeline.Contracts.Stages;

namespace Pipeline.Orchestration.Tests;

/// <summary>The stage_attempts rows the orchestrator keeps, on SQLite and on PostgreSQL.</summary>
public sealed class StageAttemptTests
{
    private static readonly Dictionary<string, string?> NoSweeps = new() { ["Orchestration:SweepInterval"] = "01:00:00" };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_redelivered_stage_abandons_the_dead_workers_attempt_and_credits_the_one_that_finished(bool postgres)
    {
        await using var pg = postgres ? await PostgresDatabase.CreateAsync() : null;
        await using var t = await OrchestratorHarness.StartAsync(postgres: pg?.ConnectionString, settings: NoSweeps);
        var id = await JobDriver.SubmitAsync(t);
        var ingest = new StageRunId(StageKind.Ingest);
        var startedA = DateTimeOffset.UtcNow;

        await t.Harness.Bus.Publish(new StageStarted(id, ingest, "worker-a", 1, startedA));
        await t.WaitConsumedAsync<StageStarted>(1);
        await t.Harness.Bus.Publish(new StageStarted(id, ingest, "worker-a", 1, startedA)); // the same event redelivered
        await t.WaitConsumedAsync<StageStarted>(2);
        await t.Harness.Bus.Publish(new StageStarted(id, ingest, "worker-b", 1, startedA.AddMinutes(5))); // the broker redelivered the command
        await t.WaitConsumedAsync<StageStarted>(3);

        // worker-a is taken for dead as soon as worker-b starts, before anything finishes.
        var running = await t.AttemptsAsync(id, "ingest");
        Assert.Equal([(1, "worker-a", (AttemptOutcome?)AttemptOutcome.Abandoned), (2, "worker-b", null)], running.Select(a => (a.Attempt, a.Worker, a.Outcome)));
        Assert.Equal("superseded by attempt 2 on worker-b", running[0].Error);
        await t.Harness.Bus.Publish(new MediaIngested(id, JobDriver.Video(5), null, JobDriver.Audio, JobDriver.Report with { Worker = "worker-b" }));
        await t.WaitForAsync<PrepareAudio>(m => m.JobId == id);

        var attempts = await t.AttemptsAsync(id, "ingest");
        Assert.Equal([(1, "worker-a", AttemptOutcome.Abandoned), (2, "worker-b", AttemptOutcome.Succeeded)], attempts.Select(a => (a.Attempt, a.Worker, a.Outcome!.Value)));
        Assert.All(attempts, a => Assert.NotNull(a.FinishedAt));
        var run = (await t.JobAsync(id))!.Stages.Single(s => s.Node == "ingest");
        Assert.Equal(2, run.Attempts);
        Assert.Equal(StageRunStatus.Succeeded, run.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_second_start_by_the_same_worker_and_attempt_adds_no_row_and_a_failure_closes_the_attempt(bool postgres)
    {
        await using var pg = postgres ? await PostgresDatabase.CreateAsync() : null;
        await using var t = await OrchestratorHarness.StartAsync(postgres: pg?.ConnectionString, settings: NoSweeps);
        var id = await JobDriver.SubmitAsync(t);
        var ingest = new StageRunId(StageKind.Ingest);

        await t.Harness.Bus.Publish(new StageStarted(id, ingest, "worker-a", 1, DateTimeOffset.UtcNow));
        await t.WaitConsumedAsync<StageStarted>(1);
        await t.Harness.Bus.Publish(new StageStarted(id, ingest, "worker-a", 1, DateTimeOffset.UtcNow.AddSeconds(1)));
        await t.WaitConsumedAsync<StageStarted>(2);
        Assert.Single(await t.AttemptsAsync(id, "ingest"));

        await t.Harness.Bus.Publish(new StageFailed(id, ingest, "no video stream", "InvalidMedia", false, DateTimeOffset.UtcNow));
        await t.WaitForAsync<JobFailed>(m => m.JobId == id);

        var attempt = Assert.Single(await t.AttemptsAsync(id, "ingest"));
        Assert.Equal(AttemptOutcome.Failed, attempt.Outcome);
        Assert.Equal("no video stream", attempt.Error);
        Assert.Equal(1, (await t.JobAsync(id))!.Stages.Single(s => s.Node == "ingest").Attempts);
    }
}
