using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>GET /v1/jobs: the tenant's jobs only, newest first, every filter, and cursor pages that neither skip nor repeat.</summary>
public sealed class JobListTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    // SQLite pages in memory (it cannot order DateTimeOffset columns), PostgreSQL in SQL: both must agree.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cursor_pages_walk_every_job_of_the_tenant_once_newest_first(bool postgres)
    {
        await using var database = postgres ? await PostgresDatabase.CreateAsync() : null;
        await using var api = await StartAsync(database);
        var mine = Enumerable.Range(0, 25).Select(i => JobRows.Job(ApiHost.Tenant, JobStatus.Succeeded, T0.AddMinutes(i))).ToList();
        var theirs = Enumerable.Range(0, 5).Select(i => JobRows.Job("other", JobStatus.Succeeded, T0.AddMinutes(i).AddSeconds(1))).ToList();

        // Two jobs created at the same instant: the cursor's id tie-break keeps both.
        var twin = JobRows.Job(ApiHost.Tenant, JobStatus.Queued, mine[10].CreatedAt);
        await JobRows.AddAsync(api, [.. mine, .. theirs, twin]);

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetAsync(api, $"v1/jobs?limit=10{(cursor is null ? "" : $"&after={cursor}")}");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 10);
            seen.AddRange(items.Select(i => i.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        var expected = mine.Append(twin).OrderByDescending(j => j.CreatedAt).Select(j => j.Id).ToList();
        Assert.Equal(expected.Order(), seen.Order());
        Assert.Equal(expected.Count, seen.Distinct().Count());
        Assert.Equal(mine[^1].Id, seen[0]);
        Assert.Equal(mine[0].Id, seen[^1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Filters_narrow_the_list_and_bad_values_get_a_400_naming_them(bool postgres)
    {
        await using var database = postgres ? await PostgresDatabase.CreateAsync() : null;
        await using var api = await StartAsync(database);
        var batch = new BatchRecord { TenantId = ApiHost.Tenant, Name = "catalog", CreatedAt = T0 };
        var failed = JobRows.Job(ApiHost.Tenant, JobStatus.Failed, T0.AddMinutes(1), outputName: "Episode-01_FR.mp4");
        var cancelled = JobRows.Job(ApiHost.Tenant, JobStatus.Cancelled, T0.AddMinutes(2), outputName: "episode-02_fr.mp4", batchId: batch.Id);
        var animate = JobRows.Job(ApiHost.Tenant, JobStatus.Succeeded, T0.AddMinutes(3), mode: JobMode.Animate, outputName: "portrait.mp4", batchId: batch.Id);
        var running = JobRows.Job(ApiHost.Tenant, JobStatus.Running, T0.AddMinutes(4), outputName: "trailer_fr.mp4");
        var foreign = JobRows.Job("other", JobStatus.Failed, T0.AddMinutes(5), outputName: "episode-03_fr.mp4");
        await JobRows.EnsureTenantAsync(api, ApiHost.Tenant);
        await JobRows.AddAsync(api, batch);
        await JobRows.AddAsync(api, failed, cancelled, animate, running, foreign);

        Assert.Equal([cancelled.Id, failed.Id], await IdsAsync(api, "v1/jobs?status=failed,Cancelled"));
        Assert.Equal([animate.Id], await IdsAsync(api, "v1/jobs?mode=animate"));
        Assert.Equal([animate.Id, cancelled.Id], await IdsAsync(api, $"v1/jobs?batchId={batch.Id}"));
        Assert.Equal([running.Id, animate.Id], await IdsAsync(api, $"v1/jobs?createdAfter={Uri.EscapeDataString(T0.AddMinutes(3).ToString("O"))}"));
        Assert.Equal([cancelled.Id, failed.Id], await IdsAsync(api, $"v1/jobs?createdBefore={Uri.EscapeDataString(T0.AddMinutes(3).ToString("O"))}"));
        Assert.Equal([cancelled.Id, failed.Id], await IdsAsync(api, "v1/jobs?q=EPISODE"));
        Assert.Equal([running.Id, cancelled.Id], await IdsAsync(api, "v1/jobs?q=_fr&status=running,cancelled"));
        Assert.Empty(await IdsAsync(api, "v1/jobs?q=100%25"));

        foreach (var (query, field) in new[] { ("status=finished", "status"), ("mode=sing", "mode"), ("after=not-a-cursor", "after") })
        {
            using var response = await api.Client.GetAsync($"v1/jobs?{query}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    private static Task<ApiHost> StartAsync(PostgresDatabase? database) =>
        ApiHost.StartAsync(settings: database is null ? null : new Dictionary<string, string?>
        {
            ["JobStore:Provider"] = Pipeline.Api.Persistence.JobStoreOptions.Postgres,
            ["JobStore:ConnectionString"] = database.ConnectionString,
        });

    private static async Task<List<Guid>> IdsAsync(ApiHost api, string url) =>
        (await GetAsync(api, url)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

    private static async Task<JsonElement> GetAsync(ApiHost api, string url)
    {
        using var response = await api.Client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }
}
