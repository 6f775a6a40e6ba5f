using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Pipeline.Api.Persistence.Migrations;

/// <summary>
/// Written by hand (EF Core's design-time tools are not in our package feed). Column types are left to the
/// provider's mapping of each CLR type, so the same migration serves SQLite (embedded) and PostgreSQL.
/// Keep JobDbContext.OnModelCreating and these migrations in step; JobStoreSchemaTests checks they agree.
/// </summary>
[DbContext(typeof(JobDbContext))]
[Migration("20261122000000_InitialCreate")]
public sealed class InitialCreate : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "jobs",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                TenantId = table.Column<string>(maxLength: 64, nullable: false),
                Mode = table.Column<string>(maxLength: 16, nullable: false),
                Status = table.Column<string>(maxLength: 16, nullable: false),
                SpecJson = table.Column<string>(nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(nullable: false),
                UpdatedAt = table.Column<DateTimeOffset>(nullable: false),
                FinishedAt = table.Column<DateTimeOffset>(nullable: true),
                Progress = table.Column<double>(nullable: false),
                CurrentStage = table.Column<string>(maxLength: 64, nullable: true),
                OutputKey = table.Column<string>(maxLength: 512, nullable: true),
                OutputSizeBytes = table.Column<long>(nullable: true),
                Error = table.Column<string>(nullable: true),
                ErrorKind = table.Column<string>(maxLength: 32, nullable: true),
                FailedStage = table.Column<string>(maxLength: 64, nullable: true),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_jobs", x => x.Id));

        migrationBuilder.CreateTable(
            name: "stage_runs",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                JobId = table.Column<Guid>(nullable: false),
                Node = table.Column<string>(maxLength: 64, nullable: false),
                Stage = table.Column<string>(maxLength: 32, nullable: false),
                ChunkIndex = table.Column<int>(nullable: true),
                Variant = table.Column<string>(maxLength: 32, nullable: true),
                DependsOn = table.Column<string>(maxLength: 1024, nullable: false),
                Weight = table.Column<double>(nullable: false),
                Status = table.Column<string>(maxLength: 16, nullable: false),
                Attempts = table.Column<int>(nullable: false),
                Worker = table.Column<string>(maxLength: 256, nullable: true),
                DispatchedAt = table.Column<DateTimeOffset>(nullable: true),
                StartedAt = table.Column<DateTimeOffset>(nullable: true),
                FinishedAt = table.Column<DateTimeOffset>(nullable: true),
                WorkSeconds = table.Column<double>(nullable: true),
                CacheHit = table.Column<bool>(nullable: false),
                Progress = table.Column<double>(nullable: false),
                ResultJson = table.Column<string>(nullable: true),
                Error = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_stage_runs", x => x.Id);
                table.ForeignKey(
                    name: "FK_stage_runs_jobs_JobId",
                    column: x => x.JobId,
                    principalTable: "jobs",
                    principalColumn: "Id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_jobs_TenantId_Status", table: "jobs", columns: ["TenantId", "Status"]);
        migrationBuilder.CreateIndex(name: "IX_stage_runs_JobId_Node", table: "stage_runs", columns: ["JobId", "Node"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "stage_runs");
        migrationBuilder.DropTable(name: "jobs");
    }
}
