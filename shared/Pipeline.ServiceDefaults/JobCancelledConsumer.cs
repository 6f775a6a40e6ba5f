using MassTransit;
using Pipeline.Contracts.Jobs;

namespace Pipeline.ServiceDefaults;

/// <summary>Every process hears every cancel (a temporary queue per process) and stops that job's in-flight work.</summary>
public sealed class JobCancelledConsumer(JobCancellations cancellations) : IConsumer<JobCancelled>
{
    public Task Consume(ConsumeContext<JobCancelled> context)
    {
        cancellations.Cancel(context.Message.JobId);
        return Task.CompletedTask;
    }
}
