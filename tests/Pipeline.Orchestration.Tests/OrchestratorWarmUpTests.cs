using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Api.Orchestration;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests;

public sealed class OrchestratorWarmUpTests
{
    [Fact]
    public async Task The_warm_up_runs_every_event_query_on_postgres_and_writes_nothing()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var store = JobStores.Postgres(database.ConnectionString);
        await store.MigrateAsync();

        var counts = await store.WithDbAsync(async db =>
        {
            await new JobOrchestrator(db, TimeProvider.System, NullLogger<JobOrchestrator>.Instance).WarmUpAsync(TestContext.Current.CancellationToken);
            Assert.Empty(db.ChangeTracker.Entries());
            return (await db.Jobs.CountAsync(TestContext.Current.CancellationToken), await db.StageRuns.CountAsync(TestContext.Current.CancellationToken));
        });

        Assert.Equal((0, 0), counts);
    }

    [Fact]
    public async Task The_warm_up_runs_on_sqlite_too()
    {
        using var scratch = new ScratchDirectory("warm-up");
        using var store = JobStores.Sqlite(scratch.File("jobs.db"));
        await store.MigrateAsync();

        var tracked = await store.WithDbAsync(async db =>
        {
            await new JobOrchestrator(db, TimeProvider.System, NullLogger<JobOrchestrator>.Instance).WarmUpAsync(TestContext.Current.CancellationToken);
            return db.ChangeTracker.Entries().Count();
        });

        Assert.Equal(0, tracked);
    }
}
