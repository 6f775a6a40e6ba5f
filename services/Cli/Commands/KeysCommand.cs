using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pipeline.Api.Http.Auth;
using Pipeline.Api.Persistence;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline keys create|list|revoke</c>: a tenant's API keys, written straight to the job store the configuration
/// names, like embedded runs read it: the embedded SQLite file by default, a stack's PostgreSQL with
/// PIPELINE_JobStore__Provider=Postgres and PIPELINE_JobStore__ConnectionString. Pending migrations are applied first.
/// </summary>
public static class KeysCommand
{
    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant (a slug: a-z, 0-9, '-'); created when missing", Required = true };
        var scopes = new Option<string?>("--scopes") { Description = $"Space-separated scopes out of: {string.Join(' ', ApiKeyIssuer.AllScopes)} (default: {string.Join(' ', ApiKeyIssuer.DefaultScopes)})" };
        var name = new Option<string?>("--name") { Description = "A label that says what the key is for (shown by keys list)" };
        var create = new Command("create", "Print a new API key for a tenant (shown once: only its hash is stored)") { tenant, scopes, name };
        create.SetAction((parse, ct) => WithStoreAsync(async db =>
        {
            var created = await ApiKeyIssuer.CreateAsync(db, parse.GetValue(tenant)!, ApiKeyIssuer.ParseScopes(parse.GetValue(scopes)), parse.GetValue(name), DateTimeOffset.UtcNow, ct);
            Console.WriteLine(created.Key);
            Console.Error.WriteLine($"pipeline: key {created.Info.Prefix} for tenant '{created.Info.Tenant}' with scopes {string.Join(' ', created.Info.Scopes)}; it is shown only now: keep it");
        }, ct));

        var listTenant = new Option<string>("--tenant") { Description = "The tenant whose keys to list", Required = true };
        var list = new Command("list", "List a tenant's keys: prefix, scopes, label, created, revoked (never the keys)") { listTenant };
        list.SetAction((parse, ct) => WithStoreAsync(async db =>
        {
            foreach (var key in await ApiKeyIssuer.ListAsync(db, parse.GetValue(listTenant)!, ct))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{key.Prefix}  {string.Join(' ', key.Scopes),-27}  {key.Name ?? "-",-16}  created {key.CreatedAt:yyyy-MM-dd HH:mm:ss}Z{(key.RevokedAt is { } r ? $"  revoked {r:yyyy-MM-dd HH:mm:ss}Z" : string.Empty)}"));
            }
        }, ct));

        var prefix = new Argument<string>("PREFIX") { Description = "The key's prefix (as keys list shows it), or the whole key" };
        var revoke = new Command("revoke", "Revoke a key: it stops working within seconds (the Api caches keys briefly)") { prefix };
        revoke.SetAction((parse, ct) => WithStoreAsync(async db =>
        {
            var given = parse.GetValue(prefix)!.Trim();
            var revoked = await ApiKeyIssuer.RevokeAsync(db, tenant: null, ApiKey.PrefixOf(given) ?? given, DateTimeOffset.UtcNow, ct)
                ?? throw new CliException($"no key with prefix '{given}' (pipeline keys list --tenant NAME shows them)");
            Console.Error.WriteLine($"pipeline: key {revoked.Prefix} of tenant '{revoked.Tenant}' revoked");
        }, ct));

        return new Command("keys", "Create, list and revoke API keys for the REST API and dashboard") { create, list, revoke };
    }

    private static async Task<int> WithStoreAsync(Func<JobDbContext, Task> work, CancellationToken ct)
    {
        // Configured as embedded runs are: PIPELINE_* environment variables alone (see EmbeddedRuntime).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables("PIPELINE_");
        builder.Logging.ClearProviders();
        builder.AddJobStore();
        using var host = builder.Build();
        try
        {
            await host.StartAsync(ct);
            await using var scope = host.Services.CreateAsyncScope();
            await work(scope.ServiceProvider.GetRequiredService<JobDbContext>());
            await host.StopAsync(ct);
            return ExitCodes.Ok;
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, ExitCodes.Usage);
        }
        catch (Exception e) when (e is NpgsqlException || e.InnerException is NpgsqlException)
        {
            throw new CliException($"cannot reach the job store's PostgreSQL ({(e.InnerException ?? e).Message}); check PIPELINE_JobStore__ConnectionString");
        }
    }
}
