using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Pipeline.Api.Http.Auth;

/// <summary>
/// Authenticates a request by its API key: <c>Authorization: Bearer KEY</c>, <c>X-Api-Key: KEY</c>, or the dashboard's
/// <c>pipeline_key</c> cookie. The principal carries the key's tenant and scopes. A request without a valid key gets
/// 401 with a JSON reason; one whose key lacks the scope gets 403.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyLookup lookup)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string HeaderName = "X-Api-Key";

    public const string CookieName = "pipeline_key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        if (await lookup.FindAsync(presented, Context.RequestAborted) is not { } key)
        {
            return AuthenticateResult.Fail("the API key is not valid: it is unknown, malformed or revoked");
        }

        var claims = new List<Claim> { new(ApiScopes.TenantClaim, key.TenantId), new(ApiScopes.KeyClaim, key.Prefix) };
        claims.AddRange(key.Scopes.Select(s => new Claim(ApiScopes.ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ApiScopes.TenantClaim, roleType: null));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A browser on a dashboard page goes to the login form; everything else is an API client.
        if (!Request.Path.StartsWithSegments("/v1") && Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
        {
            Response.Redirect($"/login?returnUrl={Uri.EscapeDataString(Request.PathBase + Request.Path + Request.QueryString)}");
            return;
        }

        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await Response.WriteAsJsonAsync(new ApiError(
            failure?.Message ?? $"an API key is required: send it as 'Authorization: Bearer KEY' or '{HeaderName}: KEY' (pipeline keys create prints one)"));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(new ApiError($"this API key lacks the '{ScopeRule.Required(Context)}' scope that {Request.Method} {Request.Path} needs"));
    }

    /// <summary>The key the request presents, from the first place that has one.</summary>
    public static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        if (request.Headers[HeaderName].ToString() is { Length: > 0 } header)
        {
            return header.Trim();
        }

        return request.Cookies[CookieName] is { Length: > 0 } cookie ? cookie : null;
    }
}
