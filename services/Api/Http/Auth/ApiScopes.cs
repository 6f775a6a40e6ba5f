namespace Pipeline.Api.Http.Auth;

/// <summary>What an API key may do. A key carries one or more; reads need <see cref="JobsRead"/>, writes <see cref="JobsWrite"/>.</summary>
public static class ApiScopes
{
    public const string JobsRead = "jobs:read";

    public const string JobsWrite = "jobs:write";

    /// <summary>Manage the tenant itself: keys, webhooks, schedules.</summary>
    public const string Admin = "admin";

    public const string TenantClaim = "tenant";

    public const string ScopeClaim = "scope";

    /// <summary>The authenticated key's prefix: what rate limits are partitioned by.</summary>
    public const string KeyClaim = "key";
}
