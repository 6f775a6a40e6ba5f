namespace Pipeline.Api.Http.Auth;

/// <summary>The caller's tenant's API keys over HTTP (<c>/v1/keys</c>, scope <c>admin</c>): list, create, revoke.</summary>
public static class KeyEndpoints
{
    public sealed record CreateKeyRequest(string? Scopes, string? Name);

    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder v1)
    {
        var keys = v1.MapGroup("/keys").RequireScope(ApiScopes.Admin);
        keys.MapGet("/", ListAsync);
        keys.MapPost("/", CreateAsync);
        keys.MapDelete("/{prefix}", RevokeAsync);
        return v1;
    }

    private static async Task<IResult> ListAsync(HttpContext http, Persistence.JobDbContext db, CancellationToken ct) =>
        Results.Ok(await ApiKeyIssuer.ListAsync(db, http.TenantId(), ct));

    private static async Task<IResult> CreateAsync(CreateKeyRequest? request, HttpContext http, Persistence.JobDbContext db, TimeProvider time, CancellationToken ct)
    {
        IReadOnlyList<string> scopes;
        try
        {
            scopes = ApiKeyIssuer.ParseScopes(request?.Scopes);
        }
        catch (ArgumentException e)
        {
            return Results.BadRequest(new ApiError(e.Message));
        }

        var created = await ApiKeyIssuer.CreateAsync(db, http.TenantId(), scopes, request?.Name, time.GetUtcNow(), ct);
        return Results.Created($"/v1/keys/{created.Info.Prefix}", created);
    }

    private static async Task<IResult> RevokeAsync(string prefix, HttpContext http, Persistence.JobDbContext db, ApiKeyLookup lookup, TimeProvider time, CancellationToken ct)
    {
        var revoked = await ApiKeyIssuer.RevokeAsync(db, http.TenantId(), prefix, time.GetUtcNow(), ct);
        if (revoked is null)
        {
            return Results.NotFound(new ApiError($"no key {prefix}"));
        }

        lookup.Forget(prefix);
        return Results.Ok(revoked);
    }
}
