using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Api.Orchestration;
using Pipeline.Contracts.Stages;

namespace Pipeline.Orchestration.Tests.Observability;

/// <summary>What the orchestrator logs while handling a stage event carries the event's job id as a scope.</summary>
public sealed class JobEventsLogScopeTests
{
    [Fact]
    public async Task Orchestrator_logs_written_while_handling_an_event_carry_its_job_id()
    {
        var logs = new ScopeCapturingLoggerProvider();
        await using var t = await OrchestratorHarness.StartAsync(configure: builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.AddFilter<ScopeCapturingLoggerProvider>(typeof(JobOrchestrator).Namespace, LogLevel.Debug);
        });
        var jobId = NewId.NextGuid();

        // A completion for a job the store never saw: the orchestrator logs that it ignores it.
        await t.Harness.Bus.Publish(new MediaIngested(jobId, null, null, null, new StageReport("test-worker", 0.1, false)), TestContext.Current.CancellationToken);
        await t.WaitConsumedAsync<MediaIngested>(1);

        var ignored = Assert.Single(logs.Logs, l => l.Category == typeof(JobOrchestrator).FullName && l.Message.Contains("ignoring", StringComparison.Ordinal));
        Assert.Equal(jobId, Assert.IsType<Guid>(ignored.Scope["JobId"]));
    }
}
