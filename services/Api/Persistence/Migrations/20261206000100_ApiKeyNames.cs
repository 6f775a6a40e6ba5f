using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Pipeline.Api.Persistence.Migrations;

/// <summary>A label on each API key, so a tenant's list of keys says which is which. Keep in step with JobDbContext.</summary>
[DbContext(typeof(JobDbContext))]
[Migration("20261206000100_ApiKeyNames")]
public sealed class ApiKeyNames : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(name: "Name", table: "api_keys", maxLength: 256, nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "Name", table: "api_keys");
}
