using System.Diagnostics;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Stages;
using Pipeline.Storage;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// Runs before the bus starts (it is registered ahead of it), so a process's first message of each kind does not pay
/// for what every later one reuses: each consumer's dependency graph is built once (the object store's client
/// among it), the object store answers one request, and the serializer builds its metadata for every contract the
/// process reads or writes, and whatever else the service registered as an <see cref="IWarmUp"/>. On a fresh stack it took the first job's bus hops from a p95 of 265 to 185 ms
/// (infra/bench/distributed.sh); the rest is each message kind's first trip through the bus itself.
/// A consumer that cannot be built fails the start with the reason, rather than every message it would be given.
/// </summary>
public sealed class ConsumerWarmUp(IServiceProvider services, ConsumerWarmUp.Consumers consumers, ILogger<ConsumerWarmUp> logger) : IHostedService
{
    /// <summary>The consumer types this process hosts, as registered on its bus.</summary>
    public sealed record Consumers(IReadOnlyList<Type> Types);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using (var scope = services.CreateScope())
        {
            foreach (var consumer in consumers.Types)
            {
                _ = scope.ServiceProvider.GetRequiredService(consumer);
            }

            foreach (var warmUp in scope.ServiceProvider.GetServices<IWarmUp>())
            {
                await warmUp.WarmUpAsync(cancellationToken);
            }
        }

        var options = SystemTextJsonMessageSerializer.Options;
        var contracts = typeof(StageStarted).Assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
            .Concat(consumers.Types.SelectMany(MessagesOf))
            .Distinct()
            .ToList();
        foreach (var contract in contracts)
        {
            _ = options.GetTypeInfo(contract);
        }

        try
        {
            // The store's first request sets up its client's pipeline and connection; a miss is as good as a hit.
            _ = await services.GetRequiredService<IObjectStore>().StatAsync("warm-up/none", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store may come up after this process: the first stage will retry it, as it would have anyway.
            logger.LogWarning("object store not reachable while warming up: {Reason}", ex.Message);
        }

        logger.LogInformation(
            "warmed up {Consumers} consumer(s) and {Contracts} contract(s) in {Ms:F0} ms",
            consumers.Types.Count, contracts.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<Type> MessagesOf(Type consumer) =>
        consumer.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0]);
}
