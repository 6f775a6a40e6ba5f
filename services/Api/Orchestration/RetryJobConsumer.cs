using MassTransit;
using Pipeline.Contracts.Jobs;
using Pipeline.ServiceDefaults;

namespace Pipeline.Api.Orchestration;

public sealed class RetryJobConsumer(JobOrchestrator orchestrator) : IConsumer<RetryJob>
{
    public Task Consume(ConsumeContext<RetryJob> context) => orchestrator.RetryAsync(context, context.Message);
}

/// <summary>Its own queue, like submit and cancel: any Api replica may take a retry the REST API sent.</summary>
public sealed class RetryJobConsumerDefinition : ConsumerDefinition<RetryJobConsumer>
{
    public RetryJobConsumerDefinition() => EndpointName = StageEndpoints.RetryJob;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RetryJobConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        OrchestrationRetry.Configure(endpointConfigurator);
}
