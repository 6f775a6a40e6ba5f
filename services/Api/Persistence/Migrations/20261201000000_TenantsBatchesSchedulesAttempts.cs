using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Pipeline.Api.Persistence.Migrations;

/// <summary>
/// Tenants and their API keys, batches of jobs, schedules, and one row per attempt at a stage run; the watchdog's
/// bookkeeping on stage runs. Written by hand like InitialCreate: keep it in step with JobDbContext.OnModelCreating.
/// </summary>
[DbContext(typeof(JobDbContext))]
[Migration("20261201000000_TenantsBatchesSchedulesAttempts")]
public sealed class TenantsBatchesSchedulesAttempts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "tenants",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 64, nullable: false),
                Name = table.Column<string>(maxLength: 256, nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_tenants", x => x.Id));

        migrationBuilder.CreateTable(
            name: "api_keys",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                TenantId = table.Column<string>(maxLength: 64, nullable: false),
                Prefix = table.Column<string>(maxLength: 16, nullable: false),
                KeyHash = table.Column<string>(maxLength: 64, nullable: false),
                Scopes = table.Column<string>(maxLength: 512, nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(nullable: false),
                RevokedAt = table.Column<DateTimeOffset>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_api_keys", x => x.Id);
                table.ForeignKey("FK_api_keys_tenants_TenantId", x => x.TenantId, "tenants", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "batches",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                TenantId = table.Column<string>(maxLength: 64, nullable: false),
                Name = table.Column<string>(maxLength: 256, nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_batches", x => x.Id);
                table.ForeignKey("FK_batches_tenants_TenantId", x => x.TenantId, "tenants", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "schedules",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                TenantId = table.Column<string>(maxLength: 64, nullable: false),
                Name = table.Column<string>(maxLength: 256, nullable: false),
                Cron = table.Column<string>(maxLength: 128, nullable: false),
                SpecJson = table.Column<string>(nullable: false),
                Enabled = table.Column<bool>(nullable: false),
                NextRunAt = table.Column<DateTimeOffset>(nullable: true),
                LastRunAt = table.Column<DateTimeOffset>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_schedules", x => x.Id);
                table.ForeignKey("FK_schedules_tenants_TenantId", x => x.TenantId, "tenants", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "stage_attempts",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                StageRunId = table.Column<Guid>(nullable: false),
                JobId = table.Column<Guid>(nullable: false),
                Node = table.Column<string>(maxLength: 64, nullable: false),
                Attempt = table.Column<int>(nullable: false),
                Worker = table.Column<string>(maxLength: 256, nullable: false),
                WorkerAttempt = table.Column<int>(nullable: false),
                StartedAt = table.Column<DateTimeOffset>(nullable: false),
                FinishedAt = table.Column<DateTimeOffset>(nullable: true),
                Outcome = table.Column<string>(maxLength: 16, nullable: true),
                Error = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_stage_attempts", x => x.Id);
                table.ForeignKey("FK_stage_attempts_stage_runs_StageRunId", x => x.StageRunId, "stage_runs", "Id", onDelete: ReferentialAction.Cascade);
            });

        // Existing rows get 0 / null: no stage run has been re-sent or stalled before the watchdog exists.
        migrationBuilder.AddColumn<DateTimeOffset>(name: "LastActivityAt", table: "stage_runs", nullable: true);
        migrationBuilder.AddColumn<int>(name: "Redispatches", table: "stage_runs", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<int>(name: "Stalls", table: "stage_runs", nullable: false, defaultValue: 0);

        if (migrationBuilder.IsSqlite())
        {
            // SQLite cannot add a foreign key to an existing table, and EF would rebuild the table only from a target
            // model, which hand-written migrations lack; a nullable column may carry its reference inline, though.
            migrationBuilder.Sql("""ALTER TABLE "jobs" ADD COLUMN "BatchId" TEXT NULL REFERENCES "batches" ("Id") ON DELETE SET NULL;""");
        }
        else
        {
            migrationBuilder.AddColumn<Guid>(name: "BatchId", table: "jobs", nullable: true);
            migrationBuilder.AddForeignKey(
                name: "FK_jobs_batches_BatchId", table: "jobs", column: "BatchId", principalTable: "batches", principalColumn: "Id", onDelete: ReferentialAction.SetNull);
        }

        migrationBuilder.CreateIndex(name: "IX_jobs_BatchId", table: "jobs", column: "BatchId");
        migrationBuilder.CreateIndex(name: "IX_api_keys_Prefix", table: "api_keys", column: "Prefix", unique: true);
        migrationBuilder.CreateIndex(name: "IX_api_keys_TenantId", table: "api_keys", column: "TenantId");
        migrationBuilder.CreateIndex(name: "IX_batches_TenantId", table: "batches", column: "TenantId");
        migrationBuilder.CreateIndex(name: "IX_schedules_Enabled_NextRunAt", table: "schedules", columns: ["Enabled", "NextRunAt"]);
        migrationBuilder.CreateIndex(name: "IX_schedules_TenantId", table: "schedules", column: "TenantId");
        migrationBuilder.CreateIndex(name: "IX_stage_attempts_JobId", table: "stage_attempts", column: "JobId");
        migrationBuilder.CreateIndex(name: "IX_stage_attempts_StageRunId_Attempt", table: "stage_attempts", columns: ["StageRunId", "Attempt"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // On SQLite the reference is part of the column (see Up), so dropping the column drops it.
        if (!migrationBuilder.IsSqlite())
        {
            migrationBuilder.DropForeignKey(name: "FK_jobs_batches_BatchId", table: "jobs");
        }

        migrationBuilder.DropIndex(name: "IX_jobs_BatchId", table: "jobs");
        migrationBuilder.DropColumn(name: "BatchId", table: "jobs");
        migrationBuilder.DropColumn(name: "LastActivityAt", table: "stage_runs");
        migrationBuilder.DropColumn(name: "Redispatches", table: "stage_runs");
        migrationBuilder.DropColumn(name: "Stalls", table: "stage_runs");
        migrationBuilder.DropTable(name: "stage_attempts");
        migrationBuilder.DropTable(name: "schedules");
        migrationBuilder.DropTable(name: "batches");
        migrationBuilder.DropTable(name: "api_keys");
        migrationBuilder.DropTable(name: "tenants");
    }
}
