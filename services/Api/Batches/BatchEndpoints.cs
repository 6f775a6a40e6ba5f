using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Http;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;
using Pipeline.Storage;

namespace Pipeline.Api.Batches;

/// <summary>
/// Batches: from a manifest (CSV or JSON rows) or from a pairing rule over two folders of the tenant's store; their
/// counts, failures and row report; cancelling what is left of one.
/// </summary>
public static class BatchEndpoints
{
    public static IEndpointRouteBuilder MapBatchEndpoints(this IEndpointRouteBuilder v1)
    {
        var batches = v1.MapGroup("/batches");
        batches.MapPost("/", CreateAsync).DisableAntiforgery();
        batches.MapPost("/pairing", PairAsync);
        batches.MapGet("/", ListAsync);
        batches.MapGet("/{id:guid}", GetAsync);
        batches.MapPost("/{id:guid}/cancel", CancelAsync);
        return v1;
    }

    private static async Task<IResult> CreateAsync(
        HttpRequest request, JobDbContext db, IObjectStore store, ISendEndpointProvider send, TimeProvider clock, CancellationToken ct)
    {
        var (manifest, problem) = await ManifestReader.ReadAsync(request, ct);
        return manifest is null
            ? Results.BadRequest(new ApiError(problem!))
            : await BatchSubmission.SubmitAsync(manifest, request.HttpContext.TenantId(), db, store, send, clock, null, ct);
    }

    private static async Task<IResult> PairAsync(
        PairingRequest body, HttpContext http, JobDbContext db, IObjectStore store, ISendEndpointProvider send, TimeProvider clock, CancellationToken ct)
    {
        if ((body.Match ?? "stem") != "stem")
        {
            return Results.BadRequest(new ApiError($"match: '{body.Match}' is not a rule; the rule is \"stem\" (same path under each prefix, any extension)"));
        }

        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (body.Options is { ValueKind: not JsonValueKind.Null } given)
        {
            var (fields, problems) = ManifestReader.Flatten(given, 0);
            if (problems.Count > 0)
            {
                return Results.BadRequest(new ApiError($"options: {string.Join("; ", problems.Select(p => $"{p.Column} {p.Reason}".Trim()))}"));
            }

            if (fields.Keys.FirstOrDefault(k => k is "video" or "audio" or "image" or "text" or "id" or "ref") is { } media)
            {
                return Results.BadRequest(new ApiError($"options.{media}: the pairing rule sets it"));
            }

            options = fields;
        }

        var tenant = http.TenantId();
        var (pairs, report, listProblem) = await PairingRule.PairAsync(store, tenant, body.VideoPrefix, body.AudioPrefix, ct);
        if (listProblem is not null)
        {
            return Results.BadRequest(new ApiError(listProblem));
        }

        var rows = pairs.Select((p, i) =>
        {
            var fields = new Dictionary<string, string>(options, StringComparer.OrdinalIgnoreCase) { ["video"] = p.Video, ["audio"] = p.Audio, ["ref"] = p.Stem };
            return new ManifestRow(i + 1, fields, []);
        }).ToList();
        if (rows.Count == 0)
        {
            return Results.BadRequest(new BatchRejected("no file under the video prefix has a partner under the audio prefix", [], report));
        }

        return await BatchSubmission.SubmitAsync(new Manifest(body.Name, body.WebhookUrl, rows), tenant, db, store, send, clock, report, ct);
    }

    /// <summary>The tenant's batches, newest first, with their counts; <c>?limit=</c> caps (default 100, at most 1000).</summary>
    private static async Task<IResult> ListAsync(HttpContext http, JobDbContext db, int? limit, CancellationToken ct)
    {
        var tenant = http.TenantId();
        var batches = (await db.Batches.AsNoTracking().Where(b => b.TenantId == tenant).ToListAsync(ct))
            .OrderByDescending(b => b.CreatedAt).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToList();
        var ids = batches.Select(b => (Guid?)b.Id).ToList();
        var stats = await db.Jobs.AsNoTracking()
            .Where(j => j.TenantId == tenant && ids.Contains(j.BatchId))
            .GroupBy(j => new { j.BatchId, j.Status })
            .Select(g => new JobStat(g.Key.BatchId!.Value, g.Key.Status, g.Count(), g.Sum(j => j.Progress)))
            .ToListAsync(ct);
        return Results.Ok(batches.Select(b =>
        {
            var mine = stats.Where(s => s.BatchId == b.Id).ToList();
            return new BatchSummary(b.Id, b.Name, b.CreatedAt, b.CompletedAt, Counts(b, mine), Progress(b, mine), Rows(b).Count(r => r.JobId is null));
        }).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, JobDbContext db, CancellationToken ct)
    {
        var tenant = http.TenantId();
        var batch = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id && b.TenantId == tenant, ct);
        if (batch is null)
        {
            return Results.NotFound(new ApiError($"no batch {id}"));
        }

        var jobs = db.Jobs.AsNoTracking().Where(j => j.TenantId == tenant && j.BatchId == id);
        var stats = await jobs.GroupBy(j => j.Status)
            .Select(g => new JobStat(id, g.Key, g.Count(), g.Sum(j => j.Progress)))
            .ToListAsync(ct);
        var failed = await jobs.Where(j => j.Status == JobStatus.Failed)
            .Select(j => new { j.Id, j.FailedStage, j.Error, j.ErrorKind })
            .ToListAsync(ct);
        var rows = Rows(batch);
        var refs = rows.Where(r => r.JobId is not null).ToDictionary(r => r.JobId!.Value, r => r.Ref);
        var failures = failed.Select(f => new BatchFailure(f.Id, refs.GetValueOrDefault(f.Id), f.FailedStage, f.Error, f.ErrorKind)).ToList();
        return Results.Ok(new BatchDetail(
            batch.Id, batch.Name, batch.CreatedAt, batch.CompletedAt, Counts(batch, stats), Progress(batch, stats),
            failures, rows.Where(r => r.JobId is null).ToList(), rows));
    }

    /// <summary>Cancels every job of the batch that has not finished; finished ones keep their results.</summary>
    private static async Task<IResult> CancelAsync(Guid id, HttpContext http, JobDbContext db, ISendEndpointProvider send, CancellationToken ct)
    {
        var tenant = http.TenantId();
        if (!await db.Batches.AnyAsync(b => b.Id == id && b.TenantId == tenant, ct))
        {
            return Results.NotFound(new ApiError($"no batch {id}"));
        }

        var open = await db.Jobs.AsNoTracking()
            .Where(j => j.TenantId == tenant && j.BatchId == id && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .Select(j => j.Id)
            .ToListAsync(ct);
        var endpoint = await send.GetSendEndpoint(new Uri($"queue:{ServiceDefaults.StageEndpoints.CancelJob}"));
        foreach (var job in open)
        {
            await endpoint.Send(new CancelJob(job, $"batch {id} cancelled through the API"), ct);
        }

        return Results.Accepted($"/v1/batches/{id}", new { cancelling = open.Count });
    }

    private static BatchCounts Counts(BatchRecord batch, IReadOnlyList<JobStat> stats)
    {
        int Of(JobStatus status) => stats.Where(s => s.Status == status).Sum(s => s.Count);
        var filed = stats.Sum(s => s.Count);
        var unfiled = Math.Max(0, batch.JobCount - filed);
        return new BatchCounts(
            Math.Max(batch.JobCount, filed), Of(JobStatus.Queued) + unfiled, Of(JobStatus.Running), Of(JobStatus.Succeeded), Of(JobStatus.Failed), Of(JobStatus.Cancelled));
    }

    /// <summary>Finished jobs count whole (a failed job is done too); running ones by their own progress.</summary>
    private static double Progress(BatchRecord batch, IReadOnlyList<JobStat> stats)
    {
        var total = Math.Max(batch.JobCount, stats.Sum(s => s.Count));
        if (total == 0)
        {
            return 0;
        }

        var done = stats.Sum(s => s.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled ? s.Count : s.ProgressSum);
        return Math.Round(done / total, 4);
    }

    private static List<RowReport> Rows(BatchRecord batch) =>
        batch.RowsJson is null ? [] : JsonSerializer.Deserialize<List<RowReport>>(batch.RowsJson, BatchSubmission.Json) ?? [];

    private sealed record JobStat(Guid BatchId, JobStatus Status, int Count, double ProgressSum);
}
