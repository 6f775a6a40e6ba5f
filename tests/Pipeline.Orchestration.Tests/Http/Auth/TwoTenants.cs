using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Orchestration;
using Pipeline.Contracts.Artifacts;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Orchestration.Tests.Http.Auth;

/// <summary>One Api with two tenants, each with an uploaded input and a job; tenant B's job has succeeded with an output.</summary>
public sealed class TwoTenants : IAsyncDisposable
{
    public const string TenantB = "tenant-b";

    private TwoTenants(ApiHost api, HttpClient b, string bKey)
    {
        Api = api;
        B = b;
        BKey = bKey;
    }

    public ApiHost Api { get; }

    public HttpClient A => Api.Client;

    public HttpClient B { get; }

    public string BKey { get; }

    public required Upload AInput { get; init; }

    public required Guid AJob { get; init; }

    public required Upload BInput { get; init; }

    public required Guid BJob { get; init; }

    public required string BOutputKey { get; init; }

    /// <summary>The bytes of B's output: a response to A containing them is a leak.</summary>
    public required string BOutputContent { get; init; }

    public sealed record Upload(string Sha256, string Name, ArtifactRef Ref);

    public static async Task<TwoTenants> StartAsync(long maxUploadBytes = 1 << 20)
    {
        var api = await ApiHost.StartAsync(maxUploadBytes);
        var (b, bKey) = await api.ClientForAsync(TenantB, "jobs:read jobs:write admin");
        var aInput = await UploadAsync(api.Client, "a-video.mp4");
        var bInput = await UploadAsync(b, "b-video.mp4");
        var aJob = await SubmitAsync(api.Client, aInput);
        var bJob = await SubmitAsync(b, bInput);

        // B's job (random bytes) fails ingest; once it has, give it an output as a succeeded job would have.
        await FinishedAsync(api, aJob);
        await FinishedAsync(api, bJob);
        var content = $"B-OUTPUT-{Guid.NewGuid():N}";
        var outputKey = $"mux/1/{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)))}/output.mp4";
        await api.Store.PutAsync(outputKey, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), ct: TestContext.Current.CancellationToken);
        await api.WithDbAsync(async db =>
        {
            var job = await db.Jobs.SingleAsync(j => j.Id == bJob, TestContext.Current.CancellationToken);
            (job.Status, job.OutputKey, job.OutputSizeBytes, job.Error, job.ErrorKind, job.FailedStage) = (JobStatus.Succeeded, outputKey, content.Length, null, null, null);
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        return new TwoTenants(api, b, bKey)
        {
            AInput = aInput,
            AJob = aJob,
            BInput = bInput,
            BJob = bJob,
            BOutputKey = outputKey,
            BOutputContent = content,
        };
    }

    public static async Task<Upload> UploadAsync(HttpClient client, string name)
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var response = await ApiHost.PutInputAsync(client, sha, name, bytes);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return new Upload(sha, name, new ArtifactRef(stored.GetProperty("key").GetString()!, stored.GetProperty("sizeBytes").GetInt64()));
    }

    public static JobSpec Spec(ArtifactRef video, ArtifactRef audio) =>
        new(JobMode.Dub, new JobInputs(Video: video, Audio: audio), JobOptions.Default, "output.mp4");

    public static async Task<Guid> SubmitAsync(HttpClient client, Upload input)
    {
        using var response = await ApiHost.PostJobAsync(client, Spec(input.Ref, input.Ref));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    public string SpecJson(ArtifactRef video, ArtifactRef audio) => JsonSerializer.Serialize(Spec(video, audio), JobJson.Options);

    public ValueTask DisposeAsync() => Api.DisposeAsync();

    private static async Task FinishedAsync(ApiHost api, Guid id)
    {
        var deadline = Stopwatch.StartNew();
        while (!await api.WithDbAsync(db => db.Jobs.AnyAsync(j => j.Id == id && (j.Status == JobStatus.Failed || j.Status == JobStatus.Succeeded || j.Status == JobStatus.Cancelled), TestContext.Current.CancellationToken)))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"job {id} never finished");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
