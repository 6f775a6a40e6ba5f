using Microsoft.AspNetCore.Authorization;

namespace Pipeline.Api.Http.Auth;

/// <summary>An endpoint (or group) that needs a scope other than the method's default, e.g. <c>admin</c> for /v1/keys.</summary>
public sealed record RequiredScope(string Scope);

/// <summary>
/// One rule for the whole /v1 group, so every endpoint is covered the moment it is mapped: reads (GET, HEAD) need
/// <c>jobs:read</c>, everything else <c>jobs:write</c>, unless the endpoint carries <see cref="RequiredScope"/>.
/// </summary>
public sealed class ScopeRule : IAuthorizationRequirement
{
    public static string Required(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>() is { } declared)
        {
            return declared.Scope;
        }

        var method = http.Request.Method;
        return HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? ApiScopes.JobsRead : ApiScopes.JobsWrite;
    }
}

public sealed class ScopeRuleHandler : AuthorizationHandler<ScopeRule>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRule requirement)
    {
        if (context.Resource is HttpContext http && context.User.HasClaim(ApiScopes.ScopeClaim, ScopeRule.Required(http)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

public static class RequiredScopeExtensions
{
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope));
}
