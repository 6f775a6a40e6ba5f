using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>/openapi/v1.json: served without a key, lists every /v1 route the Api maps, and describes the API-key schemes.</summary>
public sealed partial class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_lists_every_v1_route_with_the_api_key_schemes()
    {
        await using var api = await ApiHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = api.Client.BaseAddress };

        using var response = await anonymous.GetAsync("openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var paths = document.GetProperty("paths");

        var routes = api.Endpoints
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Path: OpenApiPath(e.RoutePattern.RawText!), Method: m.ToLowerInvariant())))
            .ToList();
        Assert.Contains(routes, r => r.Path == "/v1/jobs/{id}/retry");
        Assert.Contains(routes, r => r.Path == "/v1/estimates");
        foreach (var (path, method) in routes)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is missing from the document");
            Assert.True(operation.TryGetProperty("security", out var security) && security.GetArrayLength() == 2, $"{method} {path} names no API-key scheme");
        }

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());

        var retry = paths.GetProperty("/v1/jobs/{id}/retry").GetProperty("post");
        Assert.Equal("RetryJob", retry.GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(retry.GetProperty("summary").GetString()));
        Assert.Equal(["202", "400", "404", "409"], retry.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        var list = paths.GetProperty("/v1/jobs").GetProperty("get");
        Assert.Contains(list.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "after");
        Assert.True(list.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.False(paths.TryGetProperty("/openapi/{documentName}.json", out _) && paths.GetProperty("/openapi/{documentName}.json").GetProperty("get").TryGetProperty("security", out _));
    }

    /// <summary>"/v1/jobs/{id:guid}/artifacts/{**key}" as OpenAPI writes it: "/v1/jobs/{id}/artifacts/{key}"; "/v1/jobs/" as "/v1/jobs".</summary>
    private static string OpenApiPath(string route) => Parameter().Replace(route, m => $"{{{m.Groups[1].Value}}}").TrimEnd('/');

    [GeneratedRegex(@"\{\**([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex Parameter();
}
