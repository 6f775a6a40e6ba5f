using MassTransit;
using Pipeline.Api.Ingest;
using Pipeline.Api.Http;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.ServiceDefaults;

namespace Pipeline.Api;

public static class OrchestrationExtensions
{
    /// <summary>Job state and the orchestrator. Call before AddPipelineBus so migrations run before messages flow.</summary>
    public static IHostApplicationBuilder AddJobOrchestration(this IHostApplicationBuilder builder)
    {
        builder.AddJobStore();

        // Ingest (hosted here, and in the CLI's embedded runtime) enforces Api:MaxInputSeconds.
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<JobOrchestrator>();
        builder.Services.AddScoped<IWarmUp>(sp => sp.GetRequiredService<JobOrchestrator>());
        builder.Services.AddOptions<OrchestrationOptions>().BindConfiguration(OrchestrationOptions.Section);
        builder.Services.AddSingleton<DispatchWatchdog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DispatchWatchdog>());
        return builder;
    }

    /// <summary>The consumers the Api service hosts: job commands, stage events, and ingest.</summary>
    public static IBusRegistrationConfigurator AddOrchestrationConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<SubmitJobConsumer, SubmitJobConsumerDefinition>();
        bus.AddConsumer<CancelJobConsumer, CancelJobConsumerDefinition>();
        bus.AddConsumer<RetryJobConsumer, RetryJobConsumerDefinition>();
        bus.AddConsumer<JobEventsConsumer, JobEventsConsumerDefinition>();
        bus.AddConsumer<IngestMediaConsumer, IngestMediaConsumerDefinition>();
        return bus;
    }
}
