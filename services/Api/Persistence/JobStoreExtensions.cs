using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Pipeline.Api.Persistence;

public static class JobStoreExtensions
{
    public static IHostApplicationBuilder AddJobStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobStoreOptions>().BindConfiguration(JobStoreOptions.Section);
        builder.Services.AddDbContext<JobDbContext>((sp, options) =>
        {
            var store = sp.GetRequiredService<IOptions<JobStoreOptions>>().Value;
            if (!string.Equals(store.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"JobStore:Provider '{store.Provider}' is not supported yet; use Sqlite");
            }

            options.UseSqlite(store.ConnectionString);

            // There is no model snapshot (migrations are hand-written), so EF cannot diff the model itself.
            options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        });
        builder.Services.AddHostedService<JobStoreMigrator>();
        return builder;
    }
}
