using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Api.Persistence;
using Pipeline.Orchestration.Tests.Http;

namespace Pipeline.Orchestration.Tests.Batches;

/// <summary>What the batch and webhook tests do through the real Api: upload, post manifests, read the job store.</summary>
internal static class BatchApi
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Random bytes uploaded as an input: accepted by the API, refused as media by ingest (so the job fails cheaply).</summary>
    public static async Task<string> UploadAsync(ApiHost api, string name)
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var response = await api.PutInputAsync(sha, name, bytes);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
    }

    public static Task<HttpResponseMessage> PostCsvAsync(ApiHost api, string csv, string query = "") =>
        api.Client.PostAsync($"v1/batches{query}", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"), Ct);

    public static Task<HttpResponseMessage> PostJsonAsync(ApiHost api, string json) =>
        api.Client.PostAsync("v1/batches", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    public static async Task<T> WithDbAsync<T>(ApiHost api, Func<JobDbContext, Task<T>> read)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<JobDbContext>());
    }

    /// <summary>Polls GET /v1/batches/{id} until <paramref name="done"/> holds for it.</summary>
    public static async Task<JsonElement> WaitForBatchAsync(ApiHost api, Guid id, Func<JsonElement, bool> done, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await api.Client.GetAsync($"v1/batches/{id}", Ct);
            response.EnsureSuccessStatusCode();
            var batch = await JsonAsync(response);
            if (done(batch))
            {
                return batch;
            }

            Assert.True(clock.Elapsed < within, $"batch {id} never got there: {batch}");
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>The jobs the orchestrator has filed, once it has filed <paramref name="count"/> of them.</summary>
    public static async Task<List<JobRecord>> WaitForJobsAsync(ApiHost api, int count, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var jobs = await WithDbAsync(api, db => db.Jobs.AsNoTracking().ToListAsync(Ct));
            if (jobs.Count >= count)
            {
                return jobs;
            }

            Assert.True(clock.Elapsed < within, $"only {jobs.Count} of {count} jobs were filed");
            await Task.Delay(50, Ct);
        }
    }

    public static JsonElement Row(JsonElement created, int number) =>
        created.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("row").GetInt32() == number);

    public static List<(string Column, string Reason)> Errors(JsonElement row) =>
        row.GetProperty("errors").ValueKind == JsonValueKind.Array
            ? row.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("column").GetString()!, e.GetProperty("reason").GetString()!)).ToList()
            : [];
}
