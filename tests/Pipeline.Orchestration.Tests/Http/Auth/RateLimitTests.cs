using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pipeline.Orchestration.Tests.Http.Auth;

/// <summary>Each key has its own token bucket: past its burst it gets 429 with Retry-After, and other keys are unaffected.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task A_key_past_its_burst_gets_429_with_retry_after_while_another_key_goes_on()
    {
        await using var api = await ApiHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Api:RateLimit:PermitsPerSecond"] = "1",
            ["Api:RateLimit:Burst"] = "5",
        });
        var ct = TestContext.Current.CancellationToken;

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 12 && limited is null; i++)
        {
            var response = await api.Client.GetAsync("v1/jobs", ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 5, string.Join(", ", statuses));
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
            Assert.Contains("rate limit", (await limited.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("error").GetString());
        }

        var (other, _) = await api.ClientForAsync("tenant-b");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("v1/jobs", ct)).StatusCode);

        // The bucket refills: after the wait it asked for, the first key is served again.
        await Task.Delay(limited.Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(200), ct);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("v1/jobs", ct)).StatusCode);
    }
}
