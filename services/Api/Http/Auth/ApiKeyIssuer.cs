using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Http.Auth;

/// <summary>A key as listed: everything but the secret, which exists only in the answer that created it.</summary>
public sealed record ApiKeyView(string Prefix, string Tenant, string? Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A new key: <see cref="Key"/> is shown once and never stored.</summary>
public sealed record CreatedApiKey(string Key, ApiKeyView Info);

/// <summary>Creates, lists and revokes a tenant's API keys: the same code behind <c>pipeline keys</c> and <c>/v1/keys</c>.</summary>
public static partial class ApiKeyIssuer
{
    /// <summary>Tenant ids become object-key segments (<c>inputs/{tenant}/…</c>) and URL parts: a lower-case slug.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex TenantSlug();

    public static readonly IReadOnlyList<string> AllScopes = [ApiScopes.JobsRead, ApiScopes.JobsWrite, ApiScopes.Admin];

    public static readonly IReadOnlyList<string> DefaultScopes = [ApiScopes.JobsRead, ApiScopes.JobsWrite];

    public static void CheckTenant(string tenant)
    {
        if (!TenantSlug().IsMatch(tenant))
        {
            throw new ArgumentException($"tenant '{tenant}' must be 1-64 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
    }

    /// <summary>Space- or comma-separated scopes, checked against <see cref="AllScopes"/>; empty means <see cref="DefaultScopes"/>.</summary>
    public static IReadOnlyList<string> ParseScopes(string? scopes)
    {
        var parsed = (scopes ?? string.Empty).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (parsed.FirstOrDefault(s => !AllScopes.Contains(s)) is { } unknown)
        {
            throw new ArgumentException($"scope '{unknown}' is not one of {string.Join(", ", AllScopes)}");
        }

        return parsed.Count == 0 ? DefaultScopes : parsed;
    }

    /// <summary>A new key for the tenant; the tenant row is created when it is missing.</summary>
    public static async Task<CreatedApiKey> CreateAsync(
        JobDbContext db, string tenant, IReadOnlyList<string> scopes, string? name, DateTimeOffset now, CancellationToken ct)
    {
        CheckTenant(tenant);
        if (await db.Tenants.FindAsync([tenant], ct) is null)
        {
            db.Tenants.Add(new TenantRecord { Id = tenant, Name = tenant, CreatedAt = now });
        }

        var issued = ApiKey.Generate();
        var record = new ApiKeyRecord
        {
            TenantId = tenant,
            Prefix = issued.Prefix,
            KeyHash = issued.Hash,
            Scopes = string.Join(' ', scopes),
            Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim()[..Math.Min(name.Trim().Length, 256)],
            CreatedAt = now,
        };
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(issued.Plaintext, View(record));
    }

    public static async Task<IReadOnlyList<ApiKeyView>> ListAsync(JobDbContext db, string tenant, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenant).ToListAsync(ct);
        return keys.OrderBy(k => k.CreatedAt).Select(View).ToList();
    }

    /// <summary>Revokes the tenant's key with this prefix (any tenant's when <paramref name="tenant"/> is null: the CLI's operator).</summary>
    /// <returns>The key as it now is; null when there is no such key.</returns>
    public static async Task<ApiKeyView?> RevokeAsync(JobDbContext db, string? tenant, string prefix, DateTimeOffset now, CancellationToken ct)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Prefix == prefix && (tenant == null || k.TenantId == tenant), ct);
        if (key is null)
        {
            return null;
        }

        key.RevokedAt ??= now;
        await db.SaveChangesAsync(ct);
        return View(key);
    }

    public static IReadOnlyList<string> ScopesOf(ApiKeyRecord key) => key.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static ApiKeyView View(ApiKeyRecord k) => new(k.Prefix, k.TenantId, k.Name, ScopesOf(k), k.CreatedAt, k.RevokedAt);
}
