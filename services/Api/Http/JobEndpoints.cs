using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Http.Uploads;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;
using Pipeline.Storage;

namespace Pipeline.Api.Http;

/// <summary>
/// Submit a job, follow it, fetch its output and artifacts, cancel it. A submitted spec is checked here, at once, so
/// a bad request gets a 400 with the reason instead of a job that fails later; then the orchestrator takes it over
/// the bus like any other submission. Every query is confined to the caller's tenant: another tenant's job id answers
/// exactly as a job that does not exist.
/// </summary>
public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/jobs").WithTags("Jobs");
        // No Accepts<> metadata: routing would answer 415 to any content type it does not list, and the body is
        // either JSON or a multipart form (SubmitAsync reads both).
        jobs.MapPost("/", SubmitAsync)
            .DisableAntiforgery()
            .WithName("SubmitJob")
            .WithSummary("Submit a job: a JSON spec naming stored inputs, or a multipart form carrying the files")
            .WithDescription(
                "The body is a job spec. Each input (inputs.video, inputs.image, inputs.audio) is a storage reference: the key "
                + "PUT /v1/inputs/{sha256}/{name} returned, of an object this tenant uploaded. Nothing is copied. A spec the planner "
                + "refuses, or a reference to anything else, gets a 400 naming the field. As multipart/form-data: files video or image, audio "
                + "(or a text field), mode, options (JSON of the spec's options) and outputName; each file streams to the store.")
            .Produces<JobCreated>(StatusCodes.Status202Accepted)
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
        jobs.MapGet("/", JobList.ListAsync)
            .WithName("ListJobs")
            .WithSummary("List jobs, newest first, filtered and paged")
            .WithDescription(
                "Filters: status (comma-separated), mode, batchId, createdAfter, createdBefore (ISO 8601), q (part of the output name). "
                + "Paging: limit (default 100, at most 1000) and after (the previous page's nextCursor).")
            .Produces<JobPage>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
        jobs.MapGet("/{id:guid}", GetAsync)
            .WithName("GetJob")
            .WithSummary("A job with its stage runs, timings, output and error")
            .Produces<JobView>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id:guid}/output", OutputAsync)
            .WithName("GetJobOutput")
            .WithSummary("The output video of a succeeded job")
            .Produces(StatusCodes.Status200OK, contentType: "video/mp4")
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status409Conflict);
        jobs.MapGet("/{id:guid}/artifacts/{**key}", ArtifactAsync)
            .WithName("GetJobArtifact")
            .WithSummary("One artifact the job's spec or stage results name")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id:guid}/cancel", CancelAsync)
            .WithName("CancelJob")
            .WithSummary("Cancel a job and everything in flight for it")
            .Produces(StatusCodes.Status202Accepted)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        jobs.MapPost("/{id:guid}/retry", JobRetry.RetryAsync)
            .WithName("RetryJob")
            .WithSummary("Run a failed or cancelled job again, in place")
            .WithDescription(
                "scope=failed-stage (default) re-runs only the stage runs that failed or were cut off; finished stages keep their results. "
                + "scope=job re-runs every stage from ingest (unchanged stages are cache hits). Same job id; attempts are kept.")
            .Produces<JobCreated>(StatusCodes.Status202Accepted)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>
    /// A job as JSON (a <see cref="JobSpec"/> naming uploaded inputs) or as a multipart form carrying the files
    /// themselves (<see cref="MultipartJobForm"/>); both are checked and submitted the same way.
    /// </summary>
    private static async Task<IResult> SubmitAsync(
        HttpRequest request, IObjectStore store, ISendEndpointProvider send, IOptions<ApiOptions> options, ILoggerFactory logs, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            JobSpec? spec;
            try
            {
                spec = await request.ReadFromJsonAsync<JobSpec>(ct);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                return Results.BadRequest(new ApiError($"the body is not a job spec: {e.Message}"));
            }

            return spec is null ? Results.BadRequest(new ApiError("the body is empty")) : await SubmitSpecAsync(request.HttpContext, spec, store, send, ct);
        }

        var form = new MultipartJobForm(store, request.HttpContext.TenantId(), options.Value.MaxUploadBytes, logs.CreateLogger("Pipeline.Api.Inputs"));
        var read = await form.ReadAsync(request, ct);
        if (read.Spec is null)
        {
            return read.Refusal!;
        }

        var submitted = await SubmitSpecAsync(request.HttpContext, read.Spec, store, send, ct);
        if (submitted is not Accepted<JobCreated>)
        {
            // Refused after its files were stored: the form leaves nothing behind.
            await form.DeleteCreatedAsync();
        }

        return submitted;
    }

    private static async Task<IResult> SubmitSpecAsync(HttpContext http, JobSpec spec, IObjectStore store, ISendEndpointProvider send, CancellationToken ct)
    {
        var tenant = http.TenantId();
        if (await JobSubmission.CheckAsync(spec, tenant, store, ct) is { } problem)
        {
            return Results.BadRequest(new ApiError(problem.Field == "spec" ? problem.Reason : $"{problem.Field}: {problem.Reason}"));
        }

        var id = NewId.NextGuid();
        await JobSubmission.SendAsync(send, id, tenant, spec, batchId: null, ct);
        return TypedResults.Accepted($"/v1/jobs/{id}", new JobCreated(id, $"/v1/jobs/{id}"));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, JobDbContext db, CancellationToken ct)
    {
        var tenant = http.TenantId();
        var job = await db.Jobs.AsNoTracking().Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == id && j.TenantId == tenant, ct);
        return job is null ? NotFound(id) : Results.Ok(JobView.Of(job));
    }

    private static async Task<IResult> OutputAsync(Guid id, HttpContext http, HttpRequest request, JobDbContext db, IObjectStore store, CancellationToken ct)
    {
        var tenant = http.TenantId();
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id && j.TenantId == tenant, ct);
        if (job is null)
        {
            return NotFound(id);
        }

        if (job.Status != JobStatus.Succeeded || job.OutputKey is null)
        {
            return Results.Conflict(new ApiError($"job {id} is {job.Status.ToString().ToLowerInvariant()}; its output exists once it has succeeded"));
        }

        return await StreamAsync(request, store, job.OutputKey, ct);
    }

    private static async Task<IResult> ArtifactAsync(Guid id, string key, HttpContext http, HttpRequest request, JobDbContext db, IObjectStore store, CancellationToken ct)
    {
        // Only what this job (of this tenant) and its stages recorded: a job id is not a key to the whole store.
        var tenant = http.TenantId();
        var job = await db.Jobs.AsNoTracking().Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == id && j.TenantId == tenant, ct);
        if (job is null)
        {
            return NotFound(id);
        }

        var quoted = JsonSerializer.Serialize(key);
        var referenced = job.OutputKey == key || job.SpecJson.Contains(quoted, StringComparison.Ordinal)
            || job.Stages.Any(s => s.ResultJson?.Contains(quoted, StringComparison.Ordinal) == true);
        return referenced ? await StreamAsync(request, store, key, ct) : Results.NotFound(new ApiError($"job {id} has no artifact '{key}'"));
    }

    private static async Task<IResult> CancelAsync(Guid id, HttpContext http, JobDbContext db, ISendEndpointProvider send, CancellationToken ct)
    {
        var tenant = http.TenantId();
        if (!await db.Jobs.AnyAsync(j => j.Id == id && j.TenantId == tenant, ct))
        {
            return NotFound(id);
        }

        var endpoint = await send.GetSendEndpoint(new Uri($"queue:{ServiceDefaults.StageEndpoints.CancelJob}"));
        await endpoint.Send(new CancelJob(id, "cancelled through the API"), ct);
        return Results.Accepted($"/v1/jobs/{id}");
    }

    /// <summary>
    /// The object's bytes, with HTTP Range support so a browser can play and seek a video: served here when the
    /// store's stream can seek (the local store's file), else a range request goes to a presigned URL of the store.
    /// </summary>
    private static async Task<IResult> StreamAsync(HttpRequest request, IObjectStore store, string key, CancellationToken ct)
    {
        var info = await JobSubmission.TryStatAsync(store, key, ct);
        if (info is null)
        {
            return Results.NotFound(new ApiError($"'{key}' is no longer stored"));
        }

        var content = await store.OpenReadAsync(key, ct);
        if (!content.CanSeek && request.Headers.Range.Count > 0 && store is IPresignedUrls presigned
            && presigned.GetDownloadUrl(key, TimeSpan.FromMinutes(15)) is { } url)
        {
            await content.DisposeAsync();
            return Results.Redirect(url.ToString());
        }

        var type = Path.GetExtension(key) switch
        {
            ".mp4" => "video/mp4",
            ".mov" => "video/quicktime",
            ".mkv" => "video/x-matroska",
            ".webm" => "video/webm",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".png" => "image/png",
            ".json" => "application/json",
            ".wav" => "audio/wav",
            ".mp3" => "audio/mpeg",
            _ => "application/octet-stream",
        };
        return Results.Stream(content, type, Path.GetFileName(key), lastModified: info.LastModified, enableRangeProcessing: content.CanSeek);
    }

    private static IResult NotFound(Guid id) => Results.NotFound(new ApiError($"no job {id}"));
}
