using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Pipeline.Orchestration.Tests.Http.Auth;

/// <summary>The job store holds only a SHA-256 of each key: neither its rows nor the database's bytes contain a key.</summary>
public sealed class ApiKeyStorageTests
{
    [Fact]
    public async Task The_database_holds_each_key_s_hash_and_never_the_key()
    {
        await using var api = await ApiHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var created = await api.Client.PostAsJsonAsync("v1/keys", new { scopes = "jobs:read", name = "reader" }, ct);
        var overHttp = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        string[] keys = [api.Key, overHttp];

        var rows = await api.WithDbAsync(db => db.ApiKeys.AsNoTracking().ToListAsync(ct));
        foreach (var key in keys)
        {
            var row = Assert.Single(rows, r => key.StartsWith($"pk_{r.Prefix}_", StringComparison.Ordinal));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), row.KeyHash);
            var secret = key[$"pk_{row.Prefix}_".Length..];
            Assert.True(secret.Length >= 43, "a key carries at least 256 random bits");
            Assert.DoesNotContain(rows, r => $"{r.Id}{r.TenantId}{r.Prefix}{r.KeyHash}{r.Scopes}{r.Name}".Contains(secret, StringComparison.Ordinal));

            // Nor anywhere in the database's files (the write-ahead log included).
            foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(api.DatabasePath)!, Path.GetFileName(api.DatabasePath) + "*"))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, ct);
                Assert.Equal(-1, buffer.ToArray().AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret)));
            }
        }
    }
}
