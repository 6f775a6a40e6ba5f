using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Pipeline.Api.Persistence;

public static class JobStoreExtensions
{
    public static IHostApplicationBuilder AddJobStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobStoreOptions>().BindConfiguration(JobStoreOptions.Section);
        builder.Services.AddSingleton<JobChangeSignal>();
        builder.Services.AddDbContext<JobDbContext>((sp, options) =>
        {
            var store = sp.GetRequiredService<IOptions<JobStoreOptions>>().Value;
            UseProvider(options, store);
            options.AddInterceptors(sp.GetRequiredService<JobChangeSignal>());

            // Whatever reacts to job state inside the same transaction (the webhook outbox) registers itself here.
            options.AddInterceptors(sp.GetServices<IInterceptor>());

            // There is no model snapshot (migrations are hand-written), so EF cannot diff the model itself.
            options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        });
        builder.Services.AddHostedService<JobStoreMigrator>();
        return builder;
    }

    /// <summary>Points the context at the configured database; the tests build contexts the same way.</summary>
    public static DbContextOptionsBuilder UseProvider(DbContextOptionsBuilder options, JobStoreOptions store)
    {
        if (store.IsPostgres)
        {
            // Transient faults (a failover, a restart) are retried by EF's execution strategy. No code here opens
            // an explicit transaction; one that does must run inside db.Database.CreateExecutionStrategy().
            return options.UseNpgsql(store.ConnectionString, npgsql => npgsql.EnableRetryOnFailure(maxRetryCount: 5));
        }

        if (string.Equals(store.Provider, JobStoreOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            return options.UseSqlite(store.ConnectionString);
        }

        throw new InvalidOperationException($"JobStore:Provider '{store.Provider}' is not supported; use {JobStoreOptions.Sqlite} or {JobStoreOptions.Postgres}");
    }
}
