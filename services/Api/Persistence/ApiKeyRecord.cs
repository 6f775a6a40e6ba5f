namespace Pipeline.Api.Persistence;

/// <summary>
/// A tenant's API key. Only the SHA-256 of the key is stored, so a leaked database does not leak keys; the
/// prefix (the key's first characters, not secret) finds the row without scanning every hash.
/// </summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string TenantId { get; set; } = string.Empty;

    public string Prefix { get; set; } = string.Empty;

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public string KeyHash { get; set; } = string.Empty;

    /// <summary>Space-separated scopes: "jobs:write jobs:read".</summary>
    public string Scopes { get; set; } = string.Empty;

    /// <summary>A label the creator chose ("ci", "dashboard"), so a list of keys is readable; not unique.</summary>
    public string? Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
