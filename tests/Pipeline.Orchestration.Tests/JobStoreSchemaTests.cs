using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Persistence;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests;

/// <summary>
/// The hand-written migrations against the model in JobDbContext.OnModelCreating, on both providers: the schema the
/// migrations build must be the one EF would create from the model, and applying them again must change nothing.
/// </summary>
public sealed class JobStoreSchemaTests
{
    [Fact]
    public async Task On_sqlite_the_migrations_build_the_schema_the_model_describes()
    {
        using var scratch = new ScratchDirectory("schema");
        using var migrated = JobStores.Sqlite(scratch.File("migrated.db"));
        using var created = JobStores.Sqlite(scratch.File("created.db"));
        await AssertMigrationsMatchModelAsync(migrated, created);
    }

    [Fact]
    public async Task On_postgres_the_migrations_build_the_schema_the_model_describes()
    {
        await using var migratedDb = await PostgresDatabase.CreateAsync();
        await using var createdDb = await PostgresDatabase.CreateAsync();
        using var migrated = JobStores.Postgres(migratedDb.ConnectionString);
        using var created = JobStores.Postgres(createdDb.ConnectionString);
        await AssertMigrationsMatchModelAsync(migrated, created);

        // The column types come from the provider's mapping of each CLR type: check the ones PostgreSQL must get.
        var schema = await migrated.WithDbAsync(SchemaSnapshot.ReadAsync);
        Assert.Contains("jobs.CreatedAt timestamp with time zone nullable=NO", schema);
        Assert.Contains("jobs.Id uuid nullable=NO", schema);
        Assert.Contains("jobs.BatchId uuid nullable=YES", schema);
        Assert.Contains("stage_attempts.Outcome character varying(16) nullable=YES", schema);
        Assert.Contains("schedules.Enabled boolean nullable=NO", schema);
    }

    [Fact]
    public async Task On_postgres_migrating_twice_is_a_no_op_and_keeps_the_data()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var store = JobStores.Postgres(database.ConnectionString);
        await store.MigrateAsync();
        var schema = await store.WithDbAsync(SchemaSnapshot.ReadAsync);
        var id = Guid.NewGuid();
        await store.WithDbAsync(async db =>
        {
            db.Tenants.Add(new TenantRecord { Id = "acme", Name = "Acme", CreatedAt = DateTimeOffset.UtcNow });
            db.Batches.Add(new BatchRecord { Id = id, TenantId = "acme", Name = "first", CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        await store.MigrateAsync();

        Assert.Equal(schema, await store.WithDbAsync(SchemaSnapshot.ReadAsync));
        Assert.Equal(await ExpectedMigrationsAsync(store), await store.AppliedMigrationsAsync());
        Assert.Equal("first", (await store.WithDbAsync(db => db.Batches.SingleAsync(b => b.Id == id, TestContext.Current.CancellationToken))).Name);
    }

    [Fact]
    public async Task On_postgres_replicas_migrating_a_fresh_database_at_once_all_succeed()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var replicas = Enumerable.Range(0, 3).Select(_ => JobStores.Postgres(database.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => Task.Run(r.MigrateAsync)));

            Assert.Equal(await ExpectedMigrationsAsync(replicas[0]), await replicas[0].AppliedMigrationsAsync());
            Assert.Contains("stage_attempts.Attempt integer nullable=NO", await replicas[0].WithDbAsync(SchemaSnapshot.ReadAsync));
        }
        finally
        {
            replicas.ForEach(r => r.Dispose());
        }
    }

    private static async Task AssertMigrationsMatchModelAsync(JobStores migrated, JobStores created)
    {
        await migrated.MigrateAsync();
        await created.WithDbAsync(db => db.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken));

        var fromMigrations = await migrated.WithDbAsync(SchemaSnapshot.ReadAsync);
        var fromModel = await created.WithDbAsync(SchemaSnapshot.ReadAsync);
        Assert.NotEmpty(fromModel);
        Assert.Equal(fromModel, fromMigrations);
        Assert.Equal(await ExpectedMigrationsAsync(migrated), await migrated.AppliedMigrationsAsync());
    }

    private static Task<List<string>> ExpectedMigrationsAsync(JobStores store) =>
        store.WithDbAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));
}
