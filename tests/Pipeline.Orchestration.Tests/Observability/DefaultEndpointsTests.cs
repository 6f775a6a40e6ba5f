using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Contracts.Stages;
using Pipeline.ServiceDefaults;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests.Observability;

/// <summary>
/// A worker's web host as Program.cs builds it: readiness follows the bus, and /metrics serves the stage meter.
/// </summary>
public sealed class DefaultEndpointsTests
{
    [Fact]
    public async Task Ready_waits_for_the_bus_and_metrics_are_scraped_in_prometheus_format()
    {
        using var scratch = new ScratchDirectory("endpoints");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ObjectStore:LocalRoot"] = scratch.Path });
        builder.AddServiceDefaults("endpoints-test");
        builder.AddPipelineBus(_ => { });
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        var ct = TestContext.Current.CancellationToken;

        // Before the host starts, the bus has not connected: readiness must say no.
        var before = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(ct);
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Contains(before.Entries, e => e.Value.Tags.Contains("ready") && e.Value.Status == HealthStatus.Unhealthy);

        await app.StartAsync(ct);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
            HttpResponseMessage? ready = null;
            await OrchestratorHarness.WaitUntilAsync(
                () =>
                {
                    ready?.Dispose();
                    ready = http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct).GetAwaiter().GetResult();
                    return ready.StatusCode == HttpStatusCode.OK;
                },
                "/health/ready to answer 200 once the bus is up");
            Assert.Equal("Healthy", await ready!.Content.ReadAsStringAsync(ct));
            ready.Dispose();

            app.Services.GetRequiredService<StageMetrics>().RecordDuration(StageKind.Render, StageOutcome.Succeeded, cacheHit: true, TimeSpan.FromSeconds(2));
            var scrape = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);
            Assert.Contains("pipeline_stage_duration_seconds_bucket{", scrape, StringComparison.Ordinal);
            Assert.Matches("pipeline_stage_cache_hits(_total)?\\{[^}]*stage=\"Render\"", scrape);
        }
        finally
        {
            await app.StopAsync(ct);
        }
    }
}
