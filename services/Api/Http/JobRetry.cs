using MassTransit;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;
using Pipeline.ServiceDefaults;

namespace Pipeline.Api.Http;

/// <summary>
/// <c>POST /v1/jobs/{id}/retry?scope=failed-stage|job</c>: runs a failed or cancelled job again in place (same id, its
/// attempts kept). The state is checked here for a 409 with the reason; the orchestrator does the retry from the bus,
/// so any Api replica may take it, and re-checks the state there.
/// </summary>
public static class JobRetry
{
    public const string FailedStageScope = "failed-stage";

    public const string JobScope = "job";

    /// <summary>The stage a job fails at when the orchestrator refuses its spec: it has no stage runs to retry.</summary>
    private const string RefusedAtSubmit = "submit";

    public static async Task<IResult> RetryAsync(Guid id, string? scope, HttpContext http, JobDbContext db, ISendEndpointProvider send, CancellationToken ct)
    {
        RetryScope parsed;
        switch (scope?.Trim().ToLowerInvariant())
        {
            case null or "" or FailedStageScope:
                parsed = RetryScope.FailedStage;
                break;
            case JobScope:
                parsed = RetryScope.Job;
                break;
            default:
                return Results.BadRequest(new ApiError($"scope '{scope}' is not one of {FailedStageScope}, {JobScope}"));
        }

        var tenant = http.TenantId();
        var job = await db.Jobs.AsNoTracking().Where(j => j.Id == id && j.TenantId == tenant).Select(j => new { j.Status, j.FailedStage }).SingleOrDefaultAsync(ct);
        if (job is null)
        {
            return Results.NotFound(new ApiError($"no job {id}"));
        }

        if (job.Status is not (JobStatus.Failed or JobStatus.Cancelled))
        {
            return Results.Conflict(new ApiError($"job {id} is {job.Status.ToString().ToLowerInvariant()}: only a failed or cancelled job can be retried"));
        }

        if (job.FailedStage == RefusedAtSubmit)
        {
            return Results.Conflict(new ApiError($"job {id} was refused as submitted (its spec cannot run): submit a corrected job instead"));
        }

        var endpoint = await send.GetSendEndpoint(new Uri($"queue:{StageEndpoints.RetryJob}"));
        await endpoint.Send(new RetryJob(id, parsed, "retried through the API"), ct);
        return Results.Accepted($"/v1/jobs/{id}", new JobCreated(id, $"/v1/jobs/{id}"));
    }
}
