using Microsoft.Net.Http.Headers;

namespace Pipeline.Api.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: plain HTML, CSS and JavaScript modules over the REST API and its live event stream
/// (<c>/v1/events</c>). Every page is the same shell (<c>index.html</c>); its script draws the page the path names.
/// Files are revalidated by ETag on each load (a 304 costs one round trip) so a new build is seen at once.
/// </summary>
public static class DashboardExtensions
{
    private static readonly string[] ShellRoutes = ["/", "/jobs/{id:guid}", "/submit", "/batches", "/batches/{id:guid}", "/schedules"];

    public static WebApplication MapDashboard(this WebApplication app)
    {
        foreach (var route in ShellRoutes)
        {
            app.MapGet(route, (HttpContext context) => Serve(context, "index.html")).ExcludeFromDescription();
        }

        app.MapGet("/login", (HttpContext context) => Serve(context, "login.html")).ExcludeFromDescription();
        app.MapGet("/assets/{name}", (string name, HttpContext context) => Serve(context, name)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext context, string name)
    {
        if (DashboardAssets.Find(name) is not { } asset)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            // Everything the pages load comes from this origin: no CDN, no inline script.
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob: http: https:; media-src 'self' blob: http: https:; style-src 'self'; frame-ancestors 'none'";
        }

        if (context.Request.Headers.IfNoneMatch.Any(tag => tag == asset.ETag || tag == "*"))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
