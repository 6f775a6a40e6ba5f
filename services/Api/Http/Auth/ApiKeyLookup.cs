using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Pipeline.Api.Persistence;

namespace Pipeline.Api.Http.Auth;

/// <summary>The key a request presented, once it checked out.</summary>
public sealed record AuthenticatedKey(string Prefix, string TenantId, IReadOnlyList<string> Scopes);

/// <summary>
/// Finds a presented key's row by its prefix and checks its hash. Rows (and their absence) are cached for
/// <see cref="ApiOptions.KeyCacheSeconds"/>, so a busy client costs no query per request; the same bound is how long
/// a key revoked on another replica (or by the CLI) may still work. A revoke through this process takes effect at once.
/// </summary>
public sealed class ApiKeyLookup(IServiceScopeFactory scopes, IOptions<ApiOptions> options) : IDisposable
{
    private sealed record Row(string KeyHash, AuthenticatedKey Key);

    // Its own bounded cache: prefixes of made-up keys must not grow the process's shared one without limit.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public async Task<AuthenticatedKey?> FindAsync(string presented, CancellationToken ct)
    {
        if (ApiKey.PrefixOf(presented) is not { } prefix)
        {
            return null;
        }

        var row = await _cache.GetOrCreateAsync(prefix, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(Math.Max(0, options.Value.KeyCacheSeconds));
            entry.Size = 1;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JobDbContext>();
            var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Prefix == prefix && k.RevokedAt == null, ct);
            return key is null ? null : new Row(key.KeyHash, new AuthenticatedKey(key.Prefix, key.TenantId, ApiKeyIssuer.ScopesOf(key)));
        });
        return row is not null && ApiKey.Matches(presented, row.KeyHash) ? row.Key : null;
    }

    public void Forget(string prefix) => _cache.Remove(prefix);

    public void Dispose() => _cache.Dispose();
}
