namespace Pipeline.Api.Http.Auth;

/// <summary>
/// The dashboard's sign-in: its login form posts the API key (field <c>key</c>, optional <c>returnUrl</c>) to
/// <c>POST /auth/login</c>, which checks it and keeps it in an HttpOnly, SameSite=Strict cookie that authenticates
/// the dashboard's own calls to /v1. <c>POST /auth/logout</c> clears it.
/// </summary>
public static class LoginEndpoints
{
    private static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapLoginEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").ExcludeFromDescription();

        // No antiforgery token: a forged login would have to carry a valid key, which a cross-site attacker lacks.
        auth.MapPost("/login", LoginAsync).DisableAntiforgery().RequireRateLimiting(ApiRateLimiting.PolicyName);
        auth.MapPost("/logout", Logout).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpRequest request, ApiKeyLookup lookup, CancellationToken ct)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        var key = form?["key"].ToString().Trim() ?? string.Empty;
        var returnUrl = LocalOrRoot(form?["returnUrl"].ToString());
        if (key.Length == 0 || await lookup.FindAsync(key, ct) is null)
        {
            return Results.Redirect($"/login?error=1&returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        request.HttpContext.Response.Cookies.Append(ApiKeyAuthenticationHandler.CookieName, key, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = request.IsHttps,
            Path = "/",
            MaxAge = CookieLifetime,
            IsEssential = true,
        });
        return Results.Redirect(returnUrl);
    }

    private static IResult Logout(HttpResponse response)
    {
        response.Cookies.Delete(ApiKeyAuthenticationHandler.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });
        return Results.Redirect("/login");
    }

    /// <summary>Only a path on this site: an absolute or protocol-relative URL would make the login an open redirect.</summary>
    private static string LocalOrRoot(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains('\n') && !url.Contains('\r')
            ? url
            : "/";
}
