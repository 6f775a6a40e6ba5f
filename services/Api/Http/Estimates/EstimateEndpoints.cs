using Pipeline.Api.Http.Auth;
using Pipeline.Api.Orchestration;
using Pipeline.Contracts.Jobs;
using Pipeline.Storage;

namespace Pipeline.Api.Http.Estimates;

/// <summary><c>POST /v1/estimates</c>: how long a job would take and what it would cost, before submitting it.</summary>
public static class EstimateEndpoints
{
    public static IEndpointRouteBuilder MapEstimateEndpoints(this IEndpointRouteBuilder v1)
    {
        v1.MapPost("/estimates", EstimateAsync)
            .WithTags("Jobs")
            .WithName("EstimateJob")
            .WithSummary("Estimate a job's time and cost before submitting it")
            .WithDescription(
                "The body is the job spec POST /v1/jobs takes. The inputs are probed (or their stored probe read), then each stage's work is "
                + "its seconds of work per second of media times the media's length: the median of this tenant's recent succeeded runs "
                + "(source \"history\") or a default measured on the reference machine (source \"default\"). Costs use Api:Pricing. "
                + "Stages whose outputs are already stored for the same inputs and options are listed as cache hits.")
            .Accepts<JobSpec>("application/json")
            .Produces<JobEstimate>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
        return v1;
    }

    private static async Task<IResult> EstimateAsync(JobSpec spec, HttpContext http, IObjectStore store, JobEstimator estimator, CancellationToken ct)
    {
        IReadOnlyList<PlanNode> plan;
        try
        {
            plan = JobPlanner.Plan(spec);
        }
        catch (JobRejectedException e)
        {
            return Results.BadRequest(new ApiError(e.Message));
        }

        var tenant = http.TenantId();
        if (await JobSubmission.CheckAsync(spec, tenant, store, ct) is { } problem)
        {
            return Results.BadRequest(new ApiError(problem.Field == "spec" ? problem.Reason : $"{problem.Field}: {problem.Reason}"));
        }

        try
        {
            return Results.Ok(await estimator.EstimateAsync(tenant, spec, plan, ct));
        }
        catch (EstimateRejectedException e)
        {
            return Results.BadRequest(new ApiError(e.Message));
        }
    }
}
