using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Persistence;
using Pipeline.Api.Webhooks;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;
using Pipeline.Orchestration.Tests.Http;
using static Pipeline.Orchestration.Tests.Batches.BatchApi;

namespace Pipeline.Orchestration.Tests.Batches;

/// <summary>Webhooks to a real local HTTP receiver: signed, retried after a failure, delivered once, given up on in the end.</summary>
public sealed class WebhookDeliveryTests
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:FirstRetryDelay"] = "00:00:00.300",
        ["Webhooks:BackoffFactor"] = "2",
        ["Webhooks:MaxAttempts"] = "3",
        ["Webhooks:Timeout"] = "00:00:05",
    };

    [Fact]
    public async Task A_failed_job_is_posted_signed_retried_after_a_500_and_delivered_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500);
        await using var api = await ApiHost.StartAsync(settings: FastRetries);
        using var registered = await api.Client.PostAsJsonAsync("v1/webhooks", new { url = receiver.Url, events = new[] { "job.failed", "job.succeeded" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var secret = (await JsonAsync(registered)).GetProperty("secret").GetString()!;

        var jobId = await SubmitFailingJobAsync(api);

        var received = await receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(60));
        Assert.Equal(2, received.Count);
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromMilliseconds(250), "the retry waited for its backoff");
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.Equal(received[0].Delivery, received[1].Delivery);
        foreach (var r in received)
        {
            Assert.True(WebhookSignature.Verify(secret, r.Body, r.Signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), $"signature {r.Signature}");
        }

        // A receiver detects a wrong secret, a changed body and a replayed old timestamp.
        var last = received[1];
        Assert.False(WebhookSignature.Verify("whsec_wrong", last.Body, last.Signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(secret, last.Body.Replace("failed", "succeeded", StringComparison.Ordinal), last.Signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(secret, last.Body, last.Signature, DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromMinutes(5)));

        using var payload = JsonDocument.Parse(last.Body);
        var root = payload.RootElement;
        Assert.Equal("job.failed", root.GetProperty("type").GetString());
        Assert.Equal("job.failed", last.Event);
        Assert.Equal(last.Delivery, root.GetProperty("id").GetString());
        Assert.Equal(jobId, root.GetProperty("data").GetProperty("jobId").GetGuid());
        Assert.Equal("failed", root.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("ingest", root.GetProperty("data").GetProperty("failedStage").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("data").GetProperty("error").GetString()));

        // Delivered: nothing more is sent, and the outbox row says so.
        await Task.Delay(1000, Ct);
        Assert.Equal(2, receiver.Requests.Count);
        var delivery = await WithDbAsync(api, db => db.WebhookDeliveries.AsNoTracking().SingleAsync(Ct));
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(jobId, delivery.SubjectId);
        using var list = await api.Client.GetAsync("v1/webhooks", Ct);
        var endpoint = Assert.Single((await JsonAsync(list)).EnumerateArray());
        Assert.Equal(1, endpoint.GetProperty("delivered").GetInt32());
        Assert.False(endpoint.TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_given_up_on_after_the_last_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 502, 503, 504, 500);
        await using var api = await ApiHost.StartAsync(settings: FastRetries);
        using var registered = await api.Client.PostAsJsonAsync("v1/webhooks", new { url = receiver.Url }, Ct);
        registered.EnsureSuccessStatusCode();

        await SubmitFailingJobAsync(api);

        var delivery = await WaitForDeliveryAsync(api, d => d.Status != WebhookDeliveryStatus.Pending);
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(503, delivery.LastStatusCode);
        await Task.Delay(800, Ct);
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_batchs_one_off_webhook_hears_its_jobs_and_its_completion_and_a_deleted_endpoint_hears_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var other = await WebhookReceiver.StartAsync();
        await using var api = await ApiHost.StartAsync(settings: FastRetries);
        using var registered = await api.Client.PostAsJsonAsync("v1/webhooks", new { url = other.Url }, Ct);
        var otherId = (await JsonAsync(registered)).GetProperty("id").GetGuid();
        using var deleted = await api.Client.DeleteAsync($"v1/webhooks/{otherId}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var video = await UploadAsync(api, "v.mp4");
        var audio = await UploadAsync(api, "a.wav");

        using var response = await PostCsvAsync(api, $"ref,video,audio\na,{video},{audio}\nb,{video},{audio}\n", $"?name=hooked&webhookUrl={Uri.EscapeDataString(receiver.Url)}");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await JsonAsync(response);
        var secret = created.GetProperty("webhookSecret").GetString()!;

        var received = await receiver.WaitForAsync(r => r.Count(x => x.Event == "job.failed") == 2 && r.Any(x => x.Event == "batch.completed"), TimeSpan.FromSeconds(60));
        Assert.Equal(2, received.Count(r => r.Event == "job.failed"));
        var completed = Assert.Single(received, r => r.Event == "batch.completed");
        Assert.True(WebhookSignature.Verify(secret, completed.Body, completed.Signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        using var body = JsonDocument.Parse(completed.Body);
        Assert.Equal(created.GetProperty("id").GetGuid(), body.RootElement.GetProperty("data").GetProperty("batchId").GetGuid());
        Assert.Equal(2, body.RootElement.GetProperty("data").GetProperty("failed").GetInt32());
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task A_webhook_needs_an_http_url_and_known_events()
    {
        await using var api = await ApiHost.StartAsync();

        using var ftp = await api.Client.PostAsJsonAsync("v1/webhooks", new { url = "ftp://example.com/x" }, Ct);
        using var unknown = await api.Client.PostAsJsonAsync("v1/webhooks", new { url = "https://example.com/x", events = new[] { "job.exploded" } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, ftp.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    private static async Task<Guid> SubmitFailingJobAsync(ApiHost api)
    {
        var video = await UploadAsync(api, "v.mp4");
        var audio = await UploadAsync(api, "a.wav");
        using var response = await api.PostJobAsync(new JobSpec(JobMode.Dub, new JobInputs(Video: new ArtifactRef(video, 1000), Audio: new ArtifactRef(audio, 1000)), JobOptions.Default));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetGuid();
    }

    private static async Task<WebhookDeliveryRecord> WaitForDeliveryAsync(ApiHost api, Func<WebhookDeliveryRecord, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var delivery = await WithDbAsync(api, db => db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(Ct));
            if (delivery is not null && done(delivery))
            {
                return delivery;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"the delivery never got there: {delivery?.Status} after {delivery?.Attempts} attempts");
            await Task.Delay(100, Ct);
        }
    }
}
