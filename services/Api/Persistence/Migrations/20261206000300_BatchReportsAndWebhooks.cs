using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Pipeline.Api.Persistence.Migrations;

/// <summary>
/// A batch's submitted job count, per-row report and completion stamp; webhook endpoints and the delivery outbox.
/// Written by hand like InitialCreate: keep it in step with JobDbContext.OnModelCreating.
/// </summary>
[DbContext(typeof(JobDbContext))]
[Migration("20261206000300_BatchReportsAndWebhooks")]
public sealed class BatchReportsAndWebhooks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>(name: "JobCount", table: "batches", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<string>(name: "RowsJson", table: "batches", nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>(name: "CompletedAt", table: "batches", nullable: true);

        migrationBuilder.CreateTable(
            name: "webhook_endpoints",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                TenantId = table.Column<string>(maxLength: 64, nullable: false),
                Url = table.Column<string>(maxLength: 2048, nullable: false),
                Events = table.Column<string>(maxLength: 256, nullable: false),
                Secret = table.Column<string>(maxLength: 128, nullable: false),
                BatchId = table.Column<Guid>(nullable: true),
                CreatedAt = table.Column<DateTimeOffset>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_webhook_endpoints", x => x.Id);
                table.ForeignKey("FK_webhook_endpoints_tenants_TenantId", x => x.TenantId, "tenants", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_webhook_endpoints_batches_BatchId", x => x.BatchId, "batches", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "webhook_deliveries",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                TenantId = table.Column<string>(maxLength: 64, nullable: false),
                EndpointId = table.Column<Guid>(nullable: false),
                SubjectId = table.Column<Guid>(nullable: false),
                EventType = table.Column<string>(maxLength: 32, nullable: false),
                PayloadJson = table.Column<string>(nullable: false),
                Status = table.Column<string>(maxLength: 16, nullable: false),
                Attempts = table.Column<int>(nullable: false),
                NextAttemptAt = table.Column<DateTimeOffset>(nullable: false),
                LastStatusCode = table.Column<int>(nullable: true),
                LastError = table.Column<string>(nullable: true),
                CreatedAt = table.Column<DateTimeOffset>(nullable: false),
                FinishedAt = table.Column<DateTimeOffset>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_webhook_deliveries", x => x.Id);
                table.ForeignKey("FK_webhook_deliveries_webhook_endpoints_EndpointId", x => x.EndpointId, "webhook_endpoints", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_webhook_endpoints_TenantId", table: "webhook_endpoints", column: "TenantId");
        migrationBuilder.CreateIndex(name: "IX_webhook_endpoints_BatchId", table: "webhook_endpoints", column: "BatchId");
        migrationBuilder.CreateIndex(name: "IX_webhook_deliveries_Status", table: "webhook_deliveries", column: "Status");
        migrationBuilder.CreateIndex(name: "IX_webhook_deliveries_EndpointId", table: "webhook_deliveries", column: "EndpointId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "webhook_deliveries");
        migrationBuilder.DropTable(name: "webhook_endpoints");
        migrationBuilder.DropColumn(name: "JobCount", table: "batches");
        migrationBuilder.DropColumn(name: "RowsJson", table: "batches");
        migrationBuilder.DropColumn(name: "CompletedAt", table: "batches");
    }
}
