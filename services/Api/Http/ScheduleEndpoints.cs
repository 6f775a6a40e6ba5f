using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Http;

/// <summary><c>GET /v1/schedules</c>: the tenant's scheduled job requests, read-only (the scheduler that runs them is later work).</summary>
public static class ScheduleEndpoints
{
    public static IEndpointRouteBuilder MapScheduleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/schedules", ListAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, JobDbContext db, CancellationToken ct)
    {
        var tenant = context.TenantId();
        var schedules = await db.Schedules.AsNoTracking().Where(s => s.TenantId == tenant).OrderBy(s => s.Name).ToListAsync(ct);
        return Results.Ok(schedules.Select(ScheduleView.Of).ToList());
    }
}

public sealed record ScheduleView(Guid Id, string Name, string Cron, bool Enabled, string? Mode, DateTimeOffset? NextRunAt, DateTimeOffset? LastRunAt)
{
    public static ScheduleView Of(ScheduleRecord s) => new(s.Id, s.Name, s.Cron, s.Enabled, ModeOf(s.SpecJson), s.NextRunAt, s.LastRunAt);

    private static string? ModeOf(string specJson)
    {
        try
        {
            using var spec = JsonDocument.Parse(specJson);
            return spec.RootElement.TryGetProperty("mode", out var mode) ? mode.ToString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
