using System.Diagnostics;
using System.Net;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Stages;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>POST /v1/jobs/{id}/retry: 409 with the reason unless the job failed or was cancelled; else the orchestrator takes it over the bus.</summary>
public sealed class JobRetryHttpTests
{
    [Fact]
    public async Task Only_a_failed_or_cancelled_job_of_the_tenant_can_be_retried()
    {
        await using var api = await ApiHost.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var running = JobRows.Job(ApiHost.Tenant, JobStatus.Running, now);
        var succeeded = JobRows.Job(ApiHost.Tenant, JobStatus.Succeeded, now);
        var foreign = JobRows.Job("other", JobStatus.Failed, now);
        var refused = JobRows.Job(ApiHost.Tenant, JobStatus.Failed, now);
        refused.FailedStage = "submit";
        refused.ErrorKind = "InvalidRequest";
        await JobRows.AddAsync(api, running, succeeded, foreign, refused);

        foreach (var job in new[] { running, succeeded })
        {
            using var conflict = await api.Client.PostAsync($"v1/jobs/{job.Id}/retry", null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Contains("only a failed or cancelled job", await conflict.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using var unrunnable = await api.Client.PostAsync($"v1/jobs/{refused.Id}/retry", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, unrunnable.StatusCode);
        Assert.Contains("refused as submitted", await unrunnable.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var hidden = await api.Client.PostAsync($"v1/jobs/{foreign.Id}/retry", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using var badScope = await api.Client.PostAsync($"v1/jobs/{running.Id}/retry?scope=everything", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, badScope.StatusCode);
    }

    [Fact]
    public async Task A_failed_job_goes_back_to_the_queue_under_the_same_id()
    {
        await using var api = await ApiHost.StartAsync();
        var job = JobRows.Job(ApiHost.Tenant, JobStatus.Failed, DateTimeOffset.UtcNow);
        job.Error = "boom";
        job.FailedStage = "ingest";
        job.Stages.Add(new StageRunRecord { JobId = job.Id, Node = "ingest", Stage = StageKind.Ingest, Weight = 1, Status = StageRunStatus.Failed, Error = "boom" });
        await JobRows.AddAsync(api, job);

        using var response = await api.Client.PostAsync($"v1/jobs/{job.Id}/retry?scope=job", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/v1/jobs/{job.Id}", response.Headers.Location?.ToString());

        // The orchestrator re-dispatches ingest; on these made-up inputs it fails again, with another reason.
        var wait = Stopwatch.StartNew();
        while ((await JobRows.FindAsync(api, job.Id))!.Error == "boom")
        {
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(30), "the retry never reached the orchestrator");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
