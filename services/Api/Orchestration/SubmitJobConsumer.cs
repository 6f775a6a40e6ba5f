using MassTransit;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Api.Orchestration;

public sealed class SubmitJobConsumer(JobOrchestrator orchestrator) : IConsumer<SubmitJob>
{
    public Task Consume(ConsumeContext<SubmitJob> context) => orchestrator.SubmitAsync(context, context.Message);
}

public sealed class CancelJobConsumer(JobOrchestrator orchestrator) : IConsumer<CancelJob>
{
    public Task Consume(ConsumeContext<CancelJob> context) => orchestrator.CancelAsync(context, context.Message);
}
