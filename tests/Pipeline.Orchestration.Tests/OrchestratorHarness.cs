using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Api;
using Pipeline.Api.Orchestration;
using Pipeline.Api.Persistence;
using Pipeline.Encoding;
using Pipeline.ServiceDefaults;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests;

/// <summary>
/// The real orchestrator consumers and a real SQLite job store on MassTransit's test harness, with stage
/// consumers chosen per test: absent ones leave their commands in the harness's Sent list to inspect.
/// </summary>
public sealed class OrchestratorHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ScratchDirectory _scratch;

    private OrchestratorHarness(IHost host, ScratchDirectory scratch)
    {
        _host = host;
        _scratch = scratch;
        Harness = host.Services.GetTestHarness();
    }

    public ITestHarness Harness { get; }

    public string StoreRoot => Path.Combine(_scratch.Path, "store");

    public IServiceProvider Services => _host.Services;

    /// <param name="postgres">A PostgreSQL job store's connection string; null for SQLite in the scratch folder.</param>
    /// <param name="clock">Replaces the system clock the orchestrator and the watchdog read.</param>
    /// <param name="settings">More configuration, e.g. the watchdog's "Orchestration:*" timeouts.</param>
    /// <param name="configure">Anything else the test needs on the host before it is built (a log capture, say).</param>
    public static async Task<OrchestratorHarness> StartAsync(
        Action<IBusRegistrationConfigurator>? stages = null,
        string? postgres = null,
        TimeProvider? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IHostApplicationBuilder>? configure = null)
    {
        var scratch = new ScratchDirectory("orchestrator");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JobStore:Provider"] = postgres is null ? JobStoreOptions.Sqlite : JobStoreOptions.Postgres,
            ["JobStore:ConnectionString"] = postgres ?? $"Data Source={scratch.File("jobs.db")}",
            ["ObjectStore:LocalRoot"] = Path.Combine(scratch.Path, "store"),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDefaults("test");
        builder.AddJobOrchestration();
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.AddEncoding();
        StageEndpoints.MapConventions();
        builder.Services.AddMassTransitTestHarness(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            x.AddConsumer<SubmitJobConsumer, SubmitJobConsumerDefinition>();
            x.AddConsumer<CancelJobConsumer, CancelJobConsumerDefinition>();
            x.AddConsumer<RetryJobConsumer, RetryJobConsumerDefinition>();
            x.AddConsumer<JobEventsConsumer, JobEventsConsumerDefinition>();
            x.AddConsumer<JobCancelledConsumer>();
            stages?.Invoke(x);
        });

        builder.Services.AddOptions<TestHarnessOptions>().Configure(o => o.TestTimeout = TimeSpan.FromSeconds(60));
        configure?.Invoke(builder);

        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
            await db.Jobs.Include(j => j.Stages).AnyAsync(j => j.Id == Guid.Empty, TestContext.Current.CancellationToken);
        }

        return new OrchestratorHarness(host, scratch);
    }

    /// <summary>
    /// Waits for a condition on what the harness observed. The harness's own Any() stops waiting for good once the
    /// bus has been idle, which races with work that starts later, so tests poll the condition itself.
    /// </summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {seconds} s for: {what}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public int Count<T>(Func<T, bool>? filter = null)
        where T : class =>
        Harness.Sent.Select<T>().Count(m => filter?.Invoke(m.Context.Message) ?? true)
        + Harness.Published.Select<T>().Count(m => filter?.Invoke(m.Context.Message) ?? true);

    public int Consumed<T>()
        where T : class => Harness.Consumed.Select<T>().Count();

    /// <param name="seconds">Messages only: 30 s is generous. Stages that run real tools (PocketSphinx) pass more, as
    /// a shared 2-core machine can be many times slower than an idle one.</param>
    public Task WaitForAsync<T>(Func<T, bool>? filter = null, int count = 1, double seconds = 30)
        where T : class => WaitUntilAsync(() => Count(filter) >= count, $"{count} x {typeof(T).Name}", seconds);

    public Task WaitConsumedAsync<T>(int count)
        where T : class => WaitUntilAsync(() => Consumed<T>() >= count, $"{count} x {typeof(T).Name} consumed");

    public IReadOnlyList<T> All<T>()
        where T : class =>
        Harness.Sent.Select<T>().Select(m => m.Context.Message)
            .Concat(Harness.Published.Select<T>().Select(m => m.Context.Message))
            .ToList();

    public T Single<T>()
        where T : class =>
        Harness.Sent.Select<T>().Select(m => m.Context.Message)
            .Concat(Harness.Published.Select<T>().Select(m => m.Context.Message))
            .Single();

    public async Task<JobRecord?> JobAsync(Guid id)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        return await db.Jobs.AsNoTracking().Include(j => j.Stages).SingleOrDefaultAsync(j => j.Id == id);
    }

    public async Task<List<StageAttemptRecord>> AttemptsAsync(Guid jobId, string node)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
        return await db.StageAttempts.AsNoTracking().Where(a => a.JobId == jobId && a.Node == node).OrderBy(a => a.Attempt).ToListAsync();
    }

    /// <summary>One watchdog sweep now, as its timer would run it.</summary>
    public Task<int> SweepAsync() => _host.Services.GetRequiredService<DispatchWatchdog>().SweepAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _scratch.Dispose();
    }
}
