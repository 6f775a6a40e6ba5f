using System.Text.Json;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Persistence;
using Pipeline.Storage;

namespace Pipeline.Api.Http.Downloads;

/// <summary>
/// Download links for a job's output and artifacts (<c>GET /v1/jobs/{id}/output/url</c>,
/// <c>GET /v1/jobs/{id}/artifact-url/{key}</c>), and the anonymous route that serves the Api-signed ones
/// (<c>GET /downloads/{token}</c>), with range requests so a browser can seek in a video.
/// </summary>
public static class DownloadEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapDownloadUrlEndpoints(this IEndpointRouteBuilder v1)
    {
        var jobs = v1.MapGroup("/jobs").WithTags("Downloads");
        jobs.MapGet("/{id:guid}/output/url", OutputUrlAsync)
            .WithName("GetJobOutputUrl")
            .WithSummary("A time-limited URL of the job's output")
            .WithDescription("Presigned by the object store (S3) or signed by the Api (local store). `ttl` is in seconds: default 3600, capped at 7 days.")
            .Produces<DownloadLink>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status409Conflict);
        jobs.MapGet("/{id:guid}/artifact-url/{**key}", ArtifactUrlAsync)
            .WithName("GetJobArtifactUrl")
            .WithSummary("A time-limited URL of one of the job's artifacts")
            .WithDescription("Any key the job's spec or stage results name (see the job view). `ttl` as for the output.")
            .Produces<DownloadLink>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>Outside /v1: the token is the credential, so a browser or a tool without the API key can follow the link.</summary>
    public static IEndpointRouteBuilder MapDownloadEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/downloads/{token}", DownloadAsync)
            .AllowAnonymous()
            .WithTags("Downloads")
            .WithName("Download")
            .WithSummary("Fetch an object through an Api-signed link (local store); supports Range")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent)
            .Produces(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> OutputUrlAsync(
        Guid id, int? ttl, HttpContext http, JobDbContext db, IObjectStore store, DownloadLinks links, CancellationToken ct)
    {
        if (Lifetime(ttl) is not { } lifetime)
        {
            return Results.BadRequest(new ApiError("ttl: a number of seconds above 0"));
        }

        var tenant = http.TenantId();
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id && j.TenantId == tenant, ct);
        if (job is null)
        {
            return Results.NotFound(new ApiError($"no job {id}"));
        }

        if (job.Status != JobStatus.Succeeded || job.OutputKey is null)
        {
            return Results.Conflict(new ApiError($"job {id} is {job.Status.ToString().ToLowerInvariant()}; its output exists once it has succeeded"));
        }

        return await store.StatAsync(job.OutputKey, ct) is null
            ? Results.NotFound(new ApiError($"'{job.OutputKey}' is no longer stored"))
            : Results.Ok(links.Create(job.OutputKey, lifetime, http.Request));
    }

    private static async Task<IResult> ArtifactUrlAsync(
        Guid id, string key, int? ttl, HttpContext http, JobDbContext db, IObjectStore store, DownloadLinks links, CancellationToken ct)
    {
        if (Lifetime(ttl) is not { } lifetime)
        {
            return Results.BadRequest(new ApiError("ttl: a number of seconds above 0"));
        }

        var tenant = http.TenantId();
        var job = await db.Jobs.AsNoTracking().Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == id && j.TenantId == tenant, ct);
        if (job is null)
        {
            return Results.NotFound(new ApiError($"no job {id}"));
        }

        // Only what this job names: a job id is not a key to the whole store.
        var quoted = JsonSerializer.Serialize(key);
        var referenced = job.OutputKey == key || job.SpecJson.Contains(quoted, StringComparison.Ordinal)
            || job.Stages.Any(s => s.ResultJson?.Contains(quoted, StringComparison.Ordinal) == true);
        if (!referenced || !IsValidKey(key) || await store.StatAsync(key, ct) is null)
        {
            return Results.NotFound(new ApiError($"job {id} has no stored artifact '{key}'"));
        }

        return Results.Ok(links.Create(key, lifetime, http.Request));
    }

    private static async Task<IResult> DownloadAsync(string token, DownloadSigner signer, IObjectStore store, TimeProvider clock, CancellationToken ct)
    {
        if (signer.Verify(token, clock.GetUtcNow()) is not { } key || !IsValidKey(key))
        {
            return Results.Json(new ApiError("this download link is invalid or has expired"), statusCode: StatusCodes.Status403Forbidden);
        }

        if (await store.StatAsync(key, ct) is not { } info)
        {
            return Results.NotFound(new ApiError($"'{key}' is no longer stored"));
        }

        if (!ContentTypes.TryGetContentType(key, out var type))
        {
            type = "application/octet-stream";
        }

        var content = await store.OpenReadAsync(key, ct);
        return Results.Stream(content, type, lastModified: info.LastModified, enableRangeProcessing: true);
    }

    /// <summary>Seconds, default one hour, capped at <see cref="DownloadLinks.MaxLifetime"/>; null when not positive.</summary>
    private static TimeSpan? Lifetime(int? ttl) => ttl switch
    {
        null => DownloadLinks.DefaultLifetime,
        <= 0 => null,
        _ => TimeSpan.FromSeconds(Math.Min(ttl.Value, DownloadLinks.MaxLifetime.TotalSeconds)),
    };

    private static bool IsValidKey(string key)
    {
        try
        {
            ObjectKey.Validate(key);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
