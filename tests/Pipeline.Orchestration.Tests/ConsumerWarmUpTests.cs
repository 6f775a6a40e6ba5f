using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts.Stages;
using Pipeline.ServiceDefaults;
using Pipeline.Storage;

namespace Pipeline.Orchestration.Tests;

public sealed class ConsumerWarmUpTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("warm-up-").FullName;

    [Fact]
    public async Task Every_consumer_is_built_once_before_the_first_message()
    {
        Built.Count = 0;
        await using var services = Services(typeof(BuildableConsumer)).AddSingleton<Dependency>().BuildServiceProvider();

        await Start(services);

        Assert.Equal(1, Built.Count);
    }

    [Fact]
    public async Task The_service_s_own_warm_ups_run_once_each()
    {
        var warmUp = new CountingWarmUp();
        await using var services = Services(typeof(BuildableConsumer)).AddSingleton<Dependency>().AddSingleton<IWarmUp>(warmUp).BuildServiceProvider();

        await Start(services);

        Assert.Equal(1, warmUp.Runs);
    }

    [Fact]
    public async Task A_consumer_that_cannot_be_built_fails_the_start_naming_what_it_lacks()
    {
        await using var services = Services(typeof(BuildableConsumer)).BuildServiceProvider();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Start(services));

        Assert.Contains(nameof(Dependency), error.Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ServiceCollection Services(params Type[] consumers)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IObjectStore>(new LocalObjectStore(_root));
        foreach (var consumer in consumers)
        {
            services.AddScoped(consumer);
        }

        services.AddSingleton(new ConsumerWarmUp.Consumers(consumers));
        return services;
    }

    private static Task Start(IServiceProvider services) =>
        new ConsumerWarmUp(services, services.GetRequiredService<ConsumerWarmUp.Consumers>(), NullLogger<ConsumerWarmUp>.Instance)
            .StartAsync(TestContext.Current.CancellationToken);

    private static class Built
    {
        public static int Count;
    }

    private sealed class Dependency;

    private sealed class CountingWarmUp : IWarmUp
    {
        public int Runs { get; private set; }

        public Task WarmUpAsync(CancellationToken cancellationToken)
        {
            Runs++;
            return Task.CompletedTask;
        }
    }

    private sealed class BuildableConsumer : IConsumer<StageStarted>
    {
        public BuildableConsumer(Dependency dependency)
        {
            ArgumentNullException.ThrowIfNull(dependency);
            Built.Count++;
        }

        public Task Consume(ConsumeContext<StageStarted> context) => Task.CompletedTask;
    }
}
