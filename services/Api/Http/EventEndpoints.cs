using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Http;

/// <summary>
/// <c>GET /v1/events</c>: the tenant's job changes as server-sent events, for the dashboard's live pages. A change
/// saved in this process wakes the stream at once (<see cref="JobChangeSignal"/>); a poll of <c>jobs.UpdatedAt</c>
/// every second finds the changes other Api replicas saved. <c>?job=</c> follows one job, <c>?snapshot=N</c> first
/// sends the newest N jobs (<c>?status=</c> filters them) as one <c>snapshot</c> event; every change is a <c>job</c>
/// event holding a <see cref="JobSummary"/>.
/// </summary>
public static class EventEndpoints
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private const int Page = 200;

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events", StreamAsync).Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return app;
    }

    private static async Task StreamAsync(
        HttpContext context, IServiceScopeFactory scopes, JobChangeSignal signal, TimeProvider clock, IOptions<JsonOptions> json,
        Guid? job, int? snapshot, string? status, CancellationToken ct)
    {
        JobStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<JobStatus>(status, ignoreCase: true, out var parsed))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsJsonAsync(new ApiError($"status '{status}' is not one of {string.Join(", ", Enum.GetNames<JobStatus>()).ToLowerInvariant()}"), ct);
                return;
            }

            wanted = parsed;
        }

        var tenant = context.TenantId();
        var options = json.Value.SerializerOptions;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();

        // Changes at or after the cursor are sent; the versions already sent make the overlap at the cursor harmless.
        var cursor = clock.GetUtcNow();
        var sent = new Dictionary<Guid, int>();
        try
        {
            await WriteAsync(context, "retry: 2000\n\n", ct);
            if (snapshot is > 0)
            {
                var newest = Math.Min(snapshot.Value, 1000);
                var jobs = await QueryAsync(scopes, db => wanted is { } w
                    ? db.Jobs.FromSql($"""SELECT * FROM jobs WHERE "TenantId" = {tenant} AND "Status" = {w.ToString()} ORDER BY "CreatedAt" DESC LIMIT {newest}""")
                    : db.Jobs.FromSql($"""SELECT * FROM jobs WHERE "TenantId" = {tenant} ORDER BY "CreatedAt" DESC LIMIT {newest}"""), ct);
                jobs = jobs.OrderByDescending(j => j.CreatedAt).ToList();
                foreach (var j in jobs)
                {
                    sent[j.Id] = j.Version;
                }

                await WriteAsync(context, $"event: snapshot\ndata: {JsonSerializer.Serialize(jobs, options)}\n\n", ct);
            }

            var quiet = clock.GetUtcNow();
            while (!ct.IsCancellationRequested)
            {
                var from = cursor;
                var changed = await QueryAsync(scopes, db => job is { } id
                    ? db.Jobs.FromSql($"""SELECT * FROM jobs WHERE "Id" = {id} AND "TenantId" = {tenant} AND "UpdatedAt" >= {from}""")
                    : db.Jobs.FromSql($"""SELECT * FROM jobs WHERE "TenantId" = {tenant} AND "UpdatedAt" >= {from} ORDER BY "UpdatedAt" LIMIT {Page}"""), ct);
                changed = changed.OrderBy(j => j.UpdatedAt).ToList();
                var events = new StringBuilder();
                foreach (var j in changed)
                {
                    cursor = j.UpdatedAt > cursor ? j.UpdatedAt : cursor;
                    if (sent.TryGetValue(j.Id, out var version) && version == j.Version)
                    {
                        continue;
                    }

                    sent[j.Id] = j.Version;
                    events.Append("event: job\ndata: ").Append(JsonSerializer.Serialize(j, options)).Append("\n\n");
                }

                if (events.Length > 0)
                {
                    await WriteAsync(context, events.ToString(), ct);
                    quiet = clock.GetUtcNow();
                }
                else if (clock.GetUtcNow() - quiet >= Heartbeat)
                {
                    await WriteAsync(context, ": heartbeat\n\n", ct);
                    quiet = clock.GetUtcNow();
                }

                if (changed.Count < Page)
                {
                    // Woken by a save in this process, or by the poll for the others'.
                    await Task.WhenAny(signal.NextChange, Task.Delay(Poll, clock, ct));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The browser went away: nothing is left to clean up but this request.
        }
    }

    /// <summary>
    /// The jobs <paramref name="select"/> picks, with their stage runs. The picking is SQL of its own because EF's SQLite
    /// provider cannot compare or order DateTimeOffset columns; SQLite stores them as ISO text, all UTC here, which
    /// compares and sorts in time order, and PostgreSQL compares its timestamptz natively.
    /// </summary>
    private static async Task<List<JobSummary>> QueryAsync(
        IServiceScopeFactory scopes, Func<JobDbContext, IQueryable<JobRecord>> select, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        var jobs = await select(db).AsNoTracking().Include(j => j.Stages).AsSplitQuery().ToListAsync(ct);
        return jobs.Select(JobSummary.Of).ToList();
    }

    private static async Task WriteAsync(HttpContext context, string text, CancellationToken ct)
    {
        await context.Response.WriteAsync(text, ct);
        await context.Response.Body.FlushAsync(ct);
    }
}
