using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Pipeline.ServiceDefaults;

public static class BusServiceCollectionExtensions
{
    /// <summary>
    /// MassTransit with kebab-case endpoints over the configured transport. Each service passes the consumers it
    /// hosts; the embedded runner passes all of them, so the same code runs in one process or many.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineBus(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> addConsumers)
    {
        var options = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        builder.Services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section);
        StageEndpoints.MapConventions();

        var rabbit = string.Equals(options.Transport, "RabbitMq", StringComparison.OrdinalIgnoreCase);
        if (rabbit)
        {
            // Ahead of the bus's own hosted service, so it is done before the first message is taken. A long-lived
            // worker on the broker is what it is for; the embedded runner's stages warm up as they run, side by side.
            var services = builder.Services;
            services.AddSingleton(_ => new ConsumerWarmUp.Consumers(
                services.Select(d => d.ServiceType).Where(t => t.IsClass && typeof(IConsumer).IsAssignableFrom(t)).Distinct().ToList()));
            services.AddHostedService<ConsumerWarmUp>();
        }

        builder.Services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            x.AddConsumer<JobCancelledConsumer>().Endpoint(e =>
            {
                // Fan-out, not competing consumers: each process needs its own copy of every cancel.
                e.InstanceId = Guid.NewGuid().ToString("N")[..8];
                e.Temporary = true;
            });
            addConsumers(x);

            // Configured limits win over each stage's default (set in its consumer definition).
            x.AddConfigureEndpointsCallback((name, endpoint) =>
            {
                if (!options.Endpoints.TryGetValue(name, out var limits))
                {
                    return;
                }

                if (limits.ConcurrentMessageLimit is > 0 and var concurrency)
                {
                    endpoint.ConcurrentMessageLimit = concurrency;
                }

                if (limits.PrefetchCount is > 0 and var prefetch && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.PrefetchCount = prefetch;
                }
            });

            if (rabbit)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(options.RabbitMqHost, options.RabbitMqPort, options.RabbitMqVirtualHost, h =>
                    {
                        h.Username(options.RabbitMqUser);
                        h.Password(options.RabbitMqPassword);
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });

        return builder;
    }
}
