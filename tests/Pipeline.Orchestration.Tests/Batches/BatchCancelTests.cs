using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Orchestration.Tests.Http;
using Pipeline.TestSupport;
using static Pipeline.Orchestration.Tests.Batches.BatchApi;

namespace Pipeline.Orchestration.Tests.Batches;

/// <summary>POST /v1/batches/{id}/cancel: the batch's unfinished jobs are cancelled, and the batch then completes.</summary>
public sealed class BatchCancelTests
{
    [Fact]
    public async Task Cancelling_a_batch_cancels_its_running_jobs_and_completes_it()
    {
        await using var api = await ApiHost.StartAsync(maxUploadBytes: 64 << 20);
        var video = await UploadFileAsync(api, TestData.Require("video/retalk_1.mp4"));
        var audio = await UploadFileAsync(api, TestData.Require("audio/retalk_audio1.wav"));

        // Real media passes ingest; this host runs no stage workers, so the jobs then wait for ever: until cancelled.
        using var response = await PostCsvAsync(api, $"ref,video,audio\none,{video},{audio}\ntwo,{video},{audio}\n");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await JsonAsync(response)).GetProperty("id").GetGuid();
        await WaitForBatchAsync(api, id, b => b.GetProperty("counts").GetProperty("running").GetInt32() == 2, TimeSpan.FromSeconds(60));

        using var cancel = await api.Client.PostAsync($"v1/batches/{id}/cancel", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(2, (await JsonAsync(cancel)).GetProperty("cancelling").GetInt32());
        var batch = await WaitForBatchAsync(api, id, b => b.GetProperty("completedAt").ValueKind != JsonValueKind.Null, TimeSpan.FromSeconds(30));
        Assert.Equal(2, batch.GetProperty("counts").GetProperty("cancelled").GetInt32());
        Assert.Empty(batch.GetProperty("failures").EnumerateArray());
        using var unknown = await api.Client.PostAsync($"v1/batches/{Guid.NewGuid()}/cancel", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<string> UploadFileAsync(ApiHost api, string path)
    {
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        using var response = await api.PutInputAsync(Convert.ToHexStringLower(SHA256.HashData(bytes)), Path.GetFileName(path), bytes);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
    }
}
