using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Api.Http;

/// <summary>
/// <c>GET /v1/jobs</c>: the tenant's jobs, newest first, without their stage runs, filtered and paged with an opaque
/// cursor. A cursor is the position after the last job of a page (its creation time and id), so jobs submitted while
/// a client pages through do not shift the pages it has yet to read.
/// </summary>
public static class JobList
{
    public const int DefaultLimit = 100;

    public const int MaxLimit = 1000;

    /// <param name="status">One status or several, comma-separated (queued, running, succeeded, failed, cancelled).</param>
    /// <param name="mode">dub, animate or speak.</param>
    /// <param name="q">Part of the job's output file name, case-insensitive.</param>
    /// <param name="after">The <c>nextCursor</c> of the previous page.</param>
    public static async Task<IResult> ListAsync(
        HttpContext http,
        JobDbContext db,
        string? status,
        string? mode,
        Guid? batchId,
        DateTimeOffset? createdAfter,
        DateTimeOffset? createdBefore,
        string? q,
        string? after,
        int? limit,
        CancellationToken ct)
    {
        var tenant = http.TenantId();
        var query = db.Jobs.AsNoTracking().Where(j => j.TenantId == tenant);
        if (status is not null)
        {
            var wanted = new List<JobStatus>();
            foreach (var name in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<JobStatus>(name, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                {
                    return Results.BadRequest(new ApiError($"status '{name}' is not one of {Names<JobStatus>()}"));
                }

                wanted.Add(parsed);
            }

            query = query.Where(j => wanted.Contains(j.Status));
        }

        if (mode is not null)
        {
            if (!Enum.TryParse<JobMode>(mode, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Results.BadRequest(new ApiError($"mode '{mode}' is not one of {Names<JobMode>()}"));
            }

            query = query.Where(j => j.Mode == parsed);
        }

        if (batchId is { } batch)
        {
            query = query.Where(j => j.BatchId == batch);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            // The output name is the spec's last property, so everything after its opening quote is the name: a
            // LIKE on the stored JSON finds it without a column of its own. The text is matched as the JSON holds it.
            // Lower-cased on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not.
            var escaped = JsonSerializer.Serialize(q.Trim(), JobJson.Options)[1..^1].Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
            var pattern = $"%\"outputname\":\"%{escaped}%".ToLowerInvariant();
            query = query.Where(j => EF.Functions.Like(j.SpecJson.ToLower(), pattern, "\\"));
        }

        Position? from = null;
        if (after is not null && (from = Position.Parse(after)) is null)
        {
            return Results.BadRequest(new ApiError("after: not a cursor this API issued; pass the nextCursor of the previous page"));
        }

        var take = Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
        var page = db.Database.IsSqlite()
            ? await PageInMemoryAsync(query, createdAfter, createdBefore, from, take + 1, ct)
            : await PageInDatabaseAsync(query, createdAfter, createdBefore, from, take + 1, ct);
        var more = page.Count > take;
        var items = page.Take(take).ToList();
        var next = more ? new Position(items[^1].CreatedAt, items[^1].Id).ToString() : null;
        return Results.Ok(new JobPage(items.Select(JobView.Of).ToList(), next));
    }

    private static async Task<List<JobRecord>> PageInDatabaseAsync(
        IQueryable<JobRecord> query, DateTimeOffset? createdAfter, DateTimeOffset? createdBefore, Position? from, int take, CancellationToken ct)
    {
        if (createdAfter is { } low)
        {
            var utc = low.ToUniversalTime();
            query = query.Where(j => j.CreatedAt >= utc);
        }

        if (createdBefore is { } high)
        {
            var utc = high.ToUniversalTime();
            query = query.Where(j => j.CreatedAt < utc);
        }

        if (from is { } cursor)
        {
            query = query.Where(j => j.CreatedAt < cursor.CreatedAt || (j.CreatedAt == cursor.CreatedAt && j.Id.CompareTo(cursor.Id) < 0));
        }

        return await query.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>
    /// SQLite (the embedded, single-user store) cannot compare or order DateTimeOffset columns in SQL, so the filtered
    /// jobs' ids and creation times are ordered here and only the page's rows are loaded.
    /// </summary>
    private static async Task<List<JobRecord>> PageInMemoryAsync(
        IQueryable<JobRecord> query, DateTimeOffset? createdAfter, DateTimeOffset? createdBefore, Position? from, int take, CancellationToken ct)
    {
        var keys = await query.Select(j => new { j.Id, j.CreatedAt }).ToListAsync(ct);
        var ids = keys
            .Where(k => createdAfter is not { } low || k.CreatedAt >= low)
            .Where(k => createdBefore is not { } high || k.CreatedAt < high)
            .Where(k => from is not { } cursor || k.CreatedAt < cursor.CreatedAt || (k.CreatedAt == cursor.CreatedAt && k.Id.CompareTo(cursor.Id) < 0))
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            .Take(take)
            .Select(k => k.Id)
            .ToList();
        var rows = await query.Where(j => ids.Contains(j.Id)).ToDictionaryAsync(j => j.Id, ct);
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    private static string Names<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant();

    /// <summary>Where a page ends: opaque to clients (base64url of the creation time's ticks and the id).</summary>
    private readonly record struct Position(DateTimeOffset CreatedAt, Guid Id)
    {
        public override string ToString() =>
            Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.UtcTicks}:{Id:N}")));

        public static Position? Parse(string text)
        {
            try
            {
                var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split(':');
                return parts.Length == 2
                    && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                    && ticks is >= 0 and <= 3155378975999999999
                    && Guid.TryParseExact(parts[1], "N", out var id)
                    ? new Position(new DateTimeOffset(ticks, TimeSpan.Zero), id)
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}

/// <summary>One page of jobs; <paramref name="NextCursor"/> is null on the last page, else pass it as <c>?after=</c>.</summary>
public sealed record JobPage(IReadOnlyList<JobView> Items, string? NextCursor);
