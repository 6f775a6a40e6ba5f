using System.Security.Claims;

namespace Pipeline.Api.Http.Auth;

public static class TenantHttpContextExtensions
{
    /// <summary>
    /// The tenant every query and artifact of this request is confined to: the authenticated key's tenant.
    /// Every endpoint filters by it; none takes a tenant from the request itself. It throws rather than guess: an
    /// endpoint that reaches it without an authenticated key is mapped outside the /v1 group's authorization.
    /// </summary>
    public static string TenantId(this HttpContext context) =>
        context.User.FindFirstValue(ApiScopes.TenantClaim)
        ?? throw new InvalidOperationException($"{context.Request.Method} {context.Request.Path} has no authenticated tenant: map it under the /v1 group, which requires an API key");
}
