using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace Pipeline.Api.Http.Auth;

public static class TenantHttpContextExtensions
{
    /// <summary>
    /// The tenant every query and artifact of this request is confined to: the authenticated key's tenant.
    /// Every endpoint filters by it; none takes a tenant from the request itself.
    /// </summary>
    public static string TenantId(this HttpContext context) =>
        context.User.FindFirstValue(ApiScopes.TenantClaim)
        ?? context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.DefaultTenant;
}
