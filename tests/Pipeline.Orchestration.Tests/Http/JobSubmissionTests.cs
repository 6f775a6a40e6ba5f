using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>POST /v1/jobs and GET /v1/jobs/{id}: bad requests are refused at once with the reason; good ones reach the orchestrator.</summary>
public sealed class JobSubmissionTests
{
    private static JobSpec Spec(JobInputs inputs) => new(JobMode.Dub, inputs, JobOptions.Default, "output.mp4");

    [Fact]
    public async Task A_job_naming_inputs_that_were_never_uploaded_is_refused_with_the_field()
    {
        await using var api = await ApiHost.StartAsync();
        var missing = new ArtifactRef($"inputs/{new string('a', 64)}/v.mp4", 10);

        using var response = await api.PostJobAsync(Spec(new JobInputs(Video: missing, Audio: missing)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("inputs.video", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_dub_without_a_video_is_refused_by_the_planner()
    {
        await using var api = await ApiHost.StartAsync();
        var audio = await UploadAsync(api, "a.wav");

        using var response = await api.PostJobAsync(Spec(new JobInputs(Audio: audio)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("video", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_accepted_job_is_filed_by_the_orchestrator_and_readable_with_its_stages()
    {
        await using var api = await ApiHost.StartAsync();
        var video = await UploadAsync(api, "v.mp4");
        var audio = await UploadAsync(api, "a.wav");

        using var response = await api.PostJobAsync(Spec(new JobInputs(Video: video, Audio: audio)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();

        // The orchestrator files it over the bus; ingest then rejects the random bytes as media, which is fine here.
        var deadline = Stopwatch.StartNew();
        JsonElement job;
        while (true)
        {
            using var get = await api.Client.GetAsync($"v1/jobs/{id}", TestContext.Current.CancellationToken);
            if (get.StatusCode == HttpStatusCode.OK)
            {
                job = await get.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
                break;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the job was never filed");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal("Dub", job.GetProperty("mode").GetString());
        Assert.Contains(job.GetProperty("stages").EnumerateArray(), s => s.GetProperty("node").GetString() == "ingest");
        using var output = await api.Client.GetAsync($"v1/jobs/{id}/output", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, output.StatusCode);
        using var unknown = await api.Client.GetAsync($"v1/jobs/{Guid.NewGuid()}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var artifact = await api.Client.GetAsync($"v1/jobs/{id}/artifacts/inputs/{new string('b', 64)}/x.mp4", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, artifact.StatusCode);
    }

    private static async Task<ArtifactRef> UploadAsync(ApiHost api, string name)
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var response = await api.PutInputAsync(sha, name, bytes);
        var stored = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return new ArtifactRef(stored.GetProperty("key").GetString()!, stored.GetProperty("sizeBytes").GetInt64());
    }
}
