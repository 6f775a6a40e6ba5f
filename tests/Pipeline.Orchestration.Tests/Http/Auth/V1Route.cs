using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Api.Http.Auth;

namespace Pipeline.Orchestration.Tests.Http.Auth;

/// <summary>One method on one route under /v1, as the running app maps it.</summary>
public sealed record V1Route(string Method, RoutePattern Pattern, string? DeclaredScope)
{
    public IReadOnlyList<string> Parameters => Pattern.Parameters.Select(p => p.Name).ToList();

    public bool IsRead => HttpMethods.IsGet(Method) || HttpMethods.IsHead(Method);

    /// <summary>The scope the /v1 rule asks of this route: its declared one, else by method.</summary>
    public string RequiredScope => DeclaredScope ?? (IsRead ? ApiScopes.JobsRead : ApiScopes.JobsWrite);

    /// <summary>The URL with each parameter filled from <paramref name="values"/> (catch-alls keep their slashes).</summary>
    public string Url(Func<string, string> values)
    {
        var segments = Pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } parameter => values(parameter.Name),
            RoutePatternParameterPart parameter => Uri.EscapeDataString(values(parameter.Name)),
            _ => throw new InvalidOperationException($"unexpected route part in {Pattern.RawText}"),
        })));
        return string.Join('/', segments).TrimStart('/');
    }

    public override string ToString() => $"{Method} {Pattern.RawText}";

    /// <summary>
    /// Every endpoint under /v1 the app has mapped, read from its <see cref="EndpointDataSource"/>: endpoints added
    /// later are covered by the tests that use this without anyone listing them.
    /// </summary>
    public static IReadOnlyList<V1Route> All(IServiceProvider services)
    {
        var routes = services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/v1/", StringComparison.Ordinal) || raw == "/v1"))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get])
                .Select(m => new V1Route(m, e.RoutePattern, e.Metadata.GetMetadata<RequiredScope>()?.Scope)))
            .ToList();
        Assert.NotEmpty(routes);
        return routes;
    }
}
