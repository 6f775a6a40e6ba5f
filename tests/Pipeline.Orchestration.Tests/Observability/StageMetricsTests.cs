using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Pipeline.ServiceDefaults;

namespace Pipeline.Orchestration.Tests.Observability;

/// <summary>
/// Every way out of <see cref="StageExecution"/> is measured on the "Pipeline" meter with the tags dashboards
/// group by, and AddServiceDefaults hands that meter to OpenTelemetry.
/// </summary>
public sealed class StageMetricsTests
{
    private static readonly string Stage = ProbeStageConsumer.Stage.ToString();

    [Fact]
    public async Task A_successful_stage_records_its_duration_as_succeeded()
    {
        await using var t = await StageHarness.StartAsync("metrics-success");

        await t.RunAsync(ProbeBehaviour.Compute);

        var duration = Assert.Single(t.Metrics.Of("pipeline.stage.duration"));
        Assert.Equal(Stage, duration.Tag("stage"));
        Assert.Equal("succeeded", duration.Tag("outcome"));
        Assert.Equal("False", duration.Tag("cache_hit"));
        Assert.Equal("metrics-success", duration.Tag("service"));
        Assert.True(duration.Value > 0, $"duration {duration.Value} s should cover the probe's work");
        Assert.Empty(t.Metrics.Of("pipeline.stage.failures"));
        Assert.Empty(t.Metrics.Of("pipeline.stage.cache_hits"));
    }

    [Fact]
    public async Task Rejected_input_counts_a_failure_of_its_media_kind_that_is_not_retried()
    {
        await using var t = await StageHarness.StartAsync("metrics-rejected");

        await t.RunAsync(ProbeBehaviour.RejectInput);

        var failure = Assert.Single(t.Metrics.Of("pipeline.stage.failures"));
        Assert.Equal(1, failure.Value);
        Assert.Equal(Stage, failure.Tag("stage"));
        Assert.Equal("NoAudioStream", failure.Tag("kind"));
        Assert.Equal("False", failure.Tag("transient"));
        Assert.Equal("rejected", Assert.Single(t.Metrics.Of("pipeline.stage.duration")).Tag("outcome"));
    }

    [Fact]
    public async Task An_unexpected_exception_counts_a_transient_failure_and_still_faults_the_message()
    {
        await using var t = await StageHarness.StartAsync("metrics-crash");

        await t.RunAsync(ProbeBehaviour.Crash);

        var failure = Assert.Single(t.Metrics.Of("pipeline.stage.failures"));
        Assert.Equal("InvalidOperationException", failure.Tag("kind"));
        Assert.Equal("True", failure.Tag("transient"));
        Assert.Equal("error", Assert.Single(t.Metrics.Of("pipeline.stage.duration")).Tag("outcome"));
        // Measuring must not swallow it: the retry policy and the error queue still need the exception.
        Assert.True(await t.Harness.Published.Any<Fault<ProbeStage>>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_stage_the_transport_interrupts_ends_as_cancelled_not_as_a_media_fault()
    {
        await using var t = await StageHarness.StartAsync("metrics-interrupted");
        var jobId = NewId.NextGuid();
        await t.Harness.Bus.Publish(new ProbeStage(jobId, ProbeBehaviour.RunUntilInterrupted), TestContext.Current.CancellationToken);
        await OrchestratorHarness.WaitUntilAsync(
            () => t.Harness.Published.Select<Pipeline.Contracts.Stages.StageStarted>().Any(m => m.Context.Message.JobId == jobId), "probe started");

        // A stop that runs out of patience cancels the consume, as a dropped broker connection does.
        using var impatient = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await t.Services.GetRequiredService<IBusControl>().StopAsync(impatient.Token);
        }
        catch (OperationCanceledException)
        {
            // The stop itself reports that it was cut short.
        }

        await OrchestratorHarness.WaitUntilAsync(() => t.Harness.Consumed.Select<ProbeStage>().Any(), "probe ended");

        var consumed = Assert.Single(t.Harness.Consumed.Select<ProbeStage>());
        Assert.IsAssignableFrom<OperationCanceledException>(consumed.Exception);
        Assert.False(t.Harness.Published.Select<Fault<ProbeStage>>().Any());
    }

    [Fact]
    public async Task A_cache_hit_is_counted_and_tags_the_duration()
    {
        await using var t = await StageHarness.StartAsync("metrics-cache");

        await t.RunAsync(ProbeBehaviour.FromCache);
        await t.RunAsync(ProbeBehaviour.Compute);

        var hit = Assert.Single(t.Metrics.Of("pipeline.stage.cache_hits"));
        Assert.Equal(1, hit.Value);
        Assert.Equal(Stage, hit.Tag("stage"));
        Assert.Equal(["False", "True"], t.Metrics.Of("pipeline.stage.duration").Select(d => d.Tag("cache_hit")).Order());
    }

    [Fact]
    public async Task Queue_wait_is_recorded_once_per_command_and_is_not_negative()
    {
        await using var t = await StageHarness.StartAsync("metrics-queue");

        await t.RunAsync(ProbeBehaviour.Compute);
        await t.RunAsync(ProbeBehaviour.RejectInput);

        var waits = t.Metrics.Of("pipeline.stage.queue_wait");
        Assert.Equal(2, waits.Count);
        Assert.All(waits, w =>
        {
            Assert.Equal(Stage, w.Tag("stage"));
            Assert.InRange(w.Value, 0, 30);
        });
    }

    [Fact]
    public async Task The_service_defaults_export_the_pipeline_meter_through_opentelemetry()
    {
        var exported = new List<MetricSnapshot>();
        // Snapshots, exported on ForceFlush alone: no periodic export adds to the list while the test reads it.
        await using var t = await StageHarness.StartAsync(
            "metrics-otel",
            services => services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(
                exported,
                o => o.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = Timeout.Infinite)));

        await t.RunAsync(ProbeBehaviour.Compute);
        Assert.True(t.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));

        var duration = exported.Where(m => m.Name == "pipeline.stage.duration" && m.MeterName == StageMetrics.MeterName).ToList();
        Assert.NotEmpty(duration);
        Assert.Equal("s", duration[0].Unit);
        // OpenTelemetry listens by meter name across the process, so other tests' hosts show up too: find ours.
        Assert.Contains(duration, m => m.MetricPoints.Any(p => Tags(p).Contains(new("service", "metrics-otel"))));
        // MassTransit's meter is not asserted: its instruments are set up once per process, by the first bus, so
        // in a test process of many hosts whether this host sees them depends on test order.
    }

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }
}
