using MassTransit;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Cli.Embedded;

/// <summary>Hears the orchestrator's job events on the in-process bus and hands them to the waiting command.</summary>
public sealed class JobWatchConsumer(JobWatcher watcher) :
    IConsumer<JobAccepted>,
    IConsumer<JobProgressed>,
    IConsumer<JobCompleted>,
    IConsumer<JobFailed>,
    IConsumer<JobCancelled>
{
    public Task Consume(ConsumeContext<JobAccepted> context) => Post(context.Message.JobId, context.Message);

    public Task Consume(ConsumeContext<JobProgressed> context) => Post(context.Message.JobId, context.Message);

    public Task Consume(ConsumeContext<JobCompleted> context) => Post(context.Message.JobId, context.Message);

    public Task Consume(ConsumeContext<JobFailed> context) => Post(context.Message.JobId, context.Message);

    public Task Consume(ConsumeContext<JobCancelled> context) => Post(context.Message.JobId, context.Message);

    private Task Post(Guid jobId, object message)
    {
        watcher.Post(jobId, message);
        return Task.CompletedTask;
    }
}
