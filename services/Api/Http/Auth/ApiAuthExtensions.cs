using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Pipeline.Api.Http.Auth;

public static class ApiAuthExtensions
{
    /// <summary>The policy on the /v1 group: an authenticated key whose scopes satisfy <see cref="ScopeRule"/>.</summary>
    public const string PolicyName = "api-key-scopes";

    public static IHostApplicationBuilder AddApiAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyLookup>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeRuleHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiScopes.TenantClaim)
                .AddRequirements(new ScopeRule()));
        builder.Services.AddApiRateLimiting();
        return builder;
    }

    /// <summary>
    /// Authentication, then the rate limit (so it is partitioned by the authenticated key), then authorization. Runs
    /// after routing, so each step sees the endpoint's policies.
    /// </summary>
    public static WebApplication UseApiAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Every endpoint of the group needs a key with the scope its method (or its <see cref="RequiredScope"/>) asks for, within the key's rate limit.</summary>
    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(PolicyName);
        group.RequireRateLimiting(ApiRateLimiting.PolicyName);
        return group;
    }
}
