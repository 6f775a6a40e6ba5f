using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Persistence;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Orchestration.Tests.Http;
using static Pipeline.Orchestration.Tests.Batches.BatchApi;

namespace Pipeline.Orchestration.Tests.Batches;

/// <summary>Two Api replicas on one PostgreSQL job store, both dispatching: every delivery is sent once, never twice.</summary>
public sealed class WebhookReplicaTests
{
    [Fact]
    public async Task Two_replicas_polling_the_same_outbox_send_each_delivery_once()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["JobStore:Provider"] = "Postgres",
            ["JobStore:ConnectionString"] = database.ConnectionString,
            ["Webhooks:PollInterval"] = "00:00:00.020",
        };
        await using var first = await ApiHost.StartAsync(settings: settings);
        await using var second = await ApiHost.StartAsync(settings: settings);
        using var registered = await first.Client.PostAsJsonAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "job.failed" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        const int jobs = 12;
        for (var i = 0; i < jobs; i++)
        {
            var video = await UploadAsync(first, $"v{i}.mp4");
            var audio = await UploadAsync(first, $"a{i}.wav");
            using var response = await first.PostJobAsync(new JobSpec(JobMode.Dub, new JobInputs(Video: new ArtifactRef(video, 1000), Audio: new ArtifactRef(audio, 1000)), JobOptions.Default));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await receiver.WaitForAsync(r => r.Count >= jobs, TimeSpan.FromSeconds(90));
        await Task.Delay(1500, Ct);

        var received = receiver.Requests.ToList();
        Assert.Equal(jobs, received.Count);
        Assert.Equal(jobs, received.Select(r => r.Delivery).Distinct().Count());
        var deliveries = await WithDbAsync(second, db => db.WebhookDeliveries.AsNoTracking().ToListAsync(Ct));
        Assert.Equal(jobs, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((WebhookDeliveryStatus.Delivered, 1), (d.Status, d.Attempts)));
    }
}
