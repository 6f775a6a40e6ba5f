using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Api.Persistence;

namespace Pipeline.Orchestration.Tests;

/// <summary>A job store wired as the Api wires it (AddJobStore), without the bus: for migration and schema tests.</summary>
public sealed class JobStores(IHost host) : IDisposable
{
    public static JobStores Sqlite(string file) => Build(JobStoreOptions.Sqlite, $"Data Source={file}");

    public static JobStores Postgres(string connectionString) => Build(JobStoreOptions.Postgres, connectionString);

    public IServiceProvider Services => host.Services;

    /// <summary>What the Api does at start-up: apply the pending migrations.</summary>
    public Task MigrateAsync() =>
        host.Services.GetServices<IHostedService>().OfType<JobStoreMigrator>().Single().StartAsync(TestContext.Current.CancellationToken);

    public async Task<T> WithDbAsync<T>(Func<JobDbContext, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<JobDbContext>());
    }

    public Task<List<string>> AppliedMigrationsAsync() =>
        WithDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ToList());

    public void Dispose() => host.Dispose();

    private static JobStores Build(string provider, string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JobStore:Provider"] = provider,
            ["JobStore:ConnectionString"] = connectionString,
        });
        builder.AddJobStore();
        return new JobStores(builder.Build());
    }
}
