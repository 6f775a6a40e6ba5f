using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Contracts.Artifacts;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests.Http.Auth;

/// <summary>Api:MaxInputSeconds: ingest (in the Api process) fails a job whose input is longer, with the reason.</summary>
public sealed class InputDurationLimitTests
{
    [Fact]
    public async Task A_job_whose_input_is_over_the_duration_limit_fails_at_ingest_saying_so()
    {
        var video = TestData.Require("video/lp_d12.mp4");
        var audio = TestData.Require("audio/mead_m006_16k.wav");
        await using var api = await ApiHost.StartAsync(maxUploadBytes: 8 << 20, settings: new Dictionary<string, string?> { ["Api:MaxInputSeconds"] = "2" });
        var ct = TestContext.Current.CancellationToken;

        using var submitted = await api.PostJobAsync(TwoTenants.Spec(await UploadAsync(api, video), await UploadAsync(api, audio)));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();

        var deadline = Stopwatch.StartNew();
        JsonElement job;
        while (true)
        {
            using var get = await api.Client.GetAsync($"v1/jobs/{id}", ct);
            if (get.StatusCode == HttpStatusCode.OK)
            {
                job = await get.Content.ReadFromJsonAsync<JsonElement>(ct);
                if (job.GetProperty("status").GetString() is "Failed" or "Succeeded" or "Cancelled")
                {
                    break;
                }
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the job never finished");
            await Task.Delay(100, ct);
        }

        Assert.Equal("Failed", job.GetProperty("status").GetString());
        Assert.Equal("ingest", job.GetProperty("failedStage").GetString());
        Assert.Contains("Api:MaxInputSeconds", job.GetProperty("error").GetString());
        Assert.Contains("lp_d12.mp4", job.GetProperty("error").GetString());
    }

    private static async Task<ArtifactRef> UploadAsync(ApiHost api, string path)
    {
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var response = await api.PutInputAsync(sha, Path.GetFileName(path), bytes);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return new ArtifactRef(stored.GetProperty("key").GetString()!, stored.GetProperty("sizeBytes").GetInt64());
    }
}
