using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Api.Persistence;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>What the dashboard stands on: its files, the live event stream, schedules and attempts, each confined to the tenant.</summary>
public sealed class DashboardEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_dashboard_is_served_at_the_root_and_revalidates_by_etag()
    {
        await using var api = await ApiHost.StartAsync();

        using var page = await api.Client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/assets/app.js", await page.Content.ReadAsStringAsync(Ct));
        using var script = await api.Client.GetAsync("/assets/job.js", Ct);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/app.css");
        using var first = await api.Client.GetAsync("/assets/app.css", Ct);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var revalidated = await api.Client.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);

        foreach (var path in new[] { "/login", "/submit", "/schedules", "/batches", $"/jobs/{Guid.NewGuid()}", $"/batches/{Guid.NewGuid()}" })
        {
            using var response = await api.Client.GetAsync(path, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }

        using var missing = await api.Client.GetAsync("/assets/nope.js", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_event_stream_sends_a_snapshot_and_then_each_change_of_a_job_as_it_happens()
    {
        await using var api = await ApiHost.StartAsync();
        using var form = MultipartSubmissionTests.Form(("video", RandomNumberGenerator.GetBytes(1000), "v.mp4"), ("audio", RandomNumberGenerator.GetBytes(1000), "a.wav"));
        using var created = await api.Client.PostAsync("v1/jobs", form, Ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/events?snapshot=10");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await api.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));

        // The random bytes fail ingest: the stream must carry the job through to Failed, stages and all.
        var statuses = new List<string>();
        string? eventName = null;
        while (!statuses.Contains("Failed"))
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException("the stream ended");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var data = JsonDocument.Parse(line[6..]);
                var jobs = eventName == "snapshot" ? data.RootElement.EnumerateArray().ToList() : [data.RootElement];
                foreach (var job in jobs.Where(j => j.GetProperty("id").GetGuid() == id))
                {
                    statuses.Add(job.GetProperty("status").GetString()!);
                    Assert.Contains(job.GetProperty("stages").EnumerateArray(), s => s.GetProperty("node").GetString() == "ingest");
                }
            }
        }

        Assert.Equal("Failed", statuses[^1]);
    }

    [Fact]
    public async Task Schedules_and_attempts_are_the_tenants_own()
    {
        await using var api = await ApiHost.StartAsync();
        using (var scope = api.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
            db.Tenants.Add(new TenantRecord { Id = "other", Name = "Other" });
            db.Schedules.AddRange(
                new ScheduleRecord { TenantId = ApiHost.Tenant, Name = "nightly", Cron = "0 3 * * *", SpecJson = """{"mode":"Dub"}""" },
                new ScheduleRecord { TenantId = "other", Name = "theirs", Cron = "0 4 * * *" });
            db.Jobs.Add(new JobRecord { Id = Guid.NewGuid(), TenantId = "other", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        var schedules = await api.Client.GetFromJsonAsync<JsonElement>("v1/schedules", Ct);
        var only = Assert.Single(schedules.EnumerateArray());
        Assert.Equal("nightly", only.GetProperty("name").GetString());
        Assert.Equal("Dub", only.GetProperty("mode").GetString());

        Guid theirs;
        using (var scope = api.Services.CreateScope())
        {
            theirs = scope.ServiceProvider.GetRequiredService<JobDbContext>().Jobs.Single(j => j.TenantId == "other").Id;
        }

        foreach (var path in new[] { $"v1/jobs/{theirs}/attempts", $"v1/jobs/{theirs}/spec" })
        {
            using var response = await api.Client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }
}
