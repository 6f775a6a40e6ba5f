using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Pipeline.Api.Http.Auth;

namespace Pipeline.Orchestration.Tests.Http.Auth;

/// <summary>Every route under /v1 (enumerated from the app) needs a valid key (401 without one) with the right scope (403 without it).</summary>
public sealed class AuthenticationTests
{
    [Fact]
    public async Task Every_v1_route_refuses_a_missing_malformed_unknown_or_revoked_key_with_401()
    {
        await using var api = await ApiHost.StartAsync();
        var revoked = await api.CreateKeyAsync(ApiHost.Tenant, "jobs:read jobs:write admin");
        using (var revoke = await api.Client.DeleteAsync($"v1/keys/{revoked.Substring(3, 12)}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        // A well-formed key whose secret is wrong: the prefix finds a row, the hash does not match.
        var forged = api.Key[..^4] + (api.Key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        string?[] keys = [null, "not-a-key", "pk_0123456789ab_" + new string('x', 43), forged, revoked];
        foreach (var route in V1Route.All(api.Services))
        {
            var url = route.Url(name => name == "id" ? Guid.NewGuid().ToString() : new string('a', 64));
            foreach (var key in keys)
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), url);
                if (key is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }

                using var response = await api.NewClient(null).SendAsync(request, TestContext.Current.CancellationToken);

                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route} with key '{key}': {(int)response.StatusCode}");
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
                if (route.Method != "HEAD")
                {
                    Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("error").GetString()));
                }
            }
        }
    }

    [Fact]
    public async Task A_key_without_the_scope_a_route_needs_gets_403_on_it_and_through_on_the_rest()
    {
        await using var api = await ApiHost.StartAsync();
        var (reader, _) = await api.ClientForAsync(ApiHost.Tenant, ApiScopes.JobsRead);
        var (writer, _) = await api.ClientForAsync(ApiHost.Tenant, "jobs:read jobs:write");
        var routes = V1Route.All(api.Services);
        Assert.Contains(routes, r => r.RequiredScope == ApiScopes.Admin);
        Assert.Contains(routes, r => r.RequiredScope == ApiScopes.JobsWrite);

        foreach (var (client, scopes) in new[] { (reader, new[] { ApiScopes.JobsRead }), (writer, new[] { ApiScopes.JobsRead, ApiScopes.JobsWrite }) })
        {
            foreach (var route in routes)
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url(name => name == "id" ? Guid.NewGuid().ToString() : new string('a', 64)));
                if (!route.IsRead)
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }

                // Headers only: an event stream (/v1/events) that lets the key in never ends its body.
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
                if (scopes.Contains(route.RequiredScope))
                {
                    Assert.True(response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), $"{route} with [{string.Join(' ', scopes)}]: {(int)response.StatusCode}");
                }
                else
                {
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route} with [{string.Join(' ', scopes)}]: {(int)response.StatusCode}");
                    if (route.Method != "HEAD")
                    {
                        Assert.Contains(route.RequiredScope, (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("error").GetString());
                    }
                }
            }
        }
    }

    [Fact]
    public async Task The_key_is_accepted_as_a_bearer_token_an_X_Api_Key_header_or_the_dashboard_cookie()
    {
        await using var api = await ApiHost.StartAsync();
        var client = api.NewClient(null);

        using var header = new HttpRequestMessage(HttpMethod.Get, "v1/jobs") { Headers = { { "X-Api-Key", api.Key } } };
        using var cookie = new HttpRequestMessage(HttpMethod.Get, "v1/jobs") { Headers = { { "Cookie", $"pipeline_key={api.Key}" } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(header, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(cookie, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("v1/jobs", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Login_sets_an_http_only_strict_cookie_that_authenticates_and_logout_clears_it()
    {
        await using var api = await ApiHost.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = api.Address };
        var ct = TestContext.Current.CancellationToken;

        using var bad = await http.PostAsync("auth/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "pk_nope", ["returnUrl"] = "/jobs" }), ct);
        Assert.Equal(HttpStatusCode.Redirect, bad.StatusCode);
        Assert.StartsWith("/login?error=1", bad.Headers.Location!.OriginalString);
        Assert.False(bad.Headers.Contains("Set-Cookie"));

        using var good = await http.PostAsync("auth/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = api.Key, ["returnUrl"] = "/jobs?status=failed" }), ct);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal("/jobs?status=failed", good.Headers.Location!.OriginalString);
        var setCookie = good.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith($"pipeline_key={api.Key};", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "v1/jobs") { Headers = { { "Cookie", setCookie.Split(';')[0] } } };
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(withCookie, ct)).StatusCode);

        // Only a local path is a place to return to: anything else would make the login an open redirect.
        using var offsite = await http.PostAsync("auth/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = api.Key, ["returnUrl"] = "//evil.example/x" }), ct);
        Assert.Equal("/", offsite.Headers.Location!.OriginalString);

        using var logout = await http.PostAsync("auth/logout", null, ct);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Contains("pipeline_key=;", logout.Headers.GetValues("Set-Cookie").Single());
    }

    [Fact]
    public async Task Admin_keys_manage_their_own_tenant_s_keys_and_a_revoked_key_stops_at_once()
    {
        await using var api = await ApiHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var (other, _) = await api.ClientForAsync("tenant-c", "jobs:read admin");

        using var created = await api.Client.PostAsJsonAsync("v1/keys", new { scopes = "jobs:read", name = "ci" }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(ct);
        var key = body.GetProperty("key").GetString()!;
        var prefix = body.GetProperty("info").GetProperty("prefix").GetString()!;
        var client = api.NewClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v1/jobs", ct)).StatusCode);

        // Listed without its secret; invisible to another tenant, which cannot revoke it either.
        var list = await api.Client.GetStringAsync("v1/keys", ct);
        Assert.Contains(prefix, list);
        Assert.Contains("\"ci\"", list);
        Assert.DoesNotContain(key, list);
        Assert.DoesNotContain(prefix, await other.GetStringAsync("v1/keys", ct));
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"v1/keys/{prefix}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v1/jobs", ct)).StatusCode);

        using var badScope = await api.Client.PostAsJsonAsync("v1/keys", new { scopes = "jobs:read root" }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, badScope.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await api.Client.DeleteAsync($"v1/keys/{prefix}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("v1/jobs", ct)).StatusCode);
    }

    [Fact]
    public async Task A_key_revoked_elsewhere_stops_working_within_the_cache_window()
    {
        await using var api = await ApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Api:KeyCacheSeconds"] = "1" });
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("v1/jobs", ct)).StatusCode);

        // Another replica (or the CLI) revokes it in the database: this process only learns when its cache expires.
        var prefix = api.Key.Substring(3, 12);
        await api.WithDbAsync(db => db.ApiKeys.Where(k => k.Prefix == prefix).ExecuteUpdateAsync(k => k.SetProperty(r => r.RevokedAt, DateTimeOffset.UtcNow), ct));
        await Task.Delay(TimeSpan.FromSeconds(1.5), ct);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client.GetAsync("v1/jobs", ct)).StatusCode);
    }

    [Fact]
    public void The_tenant_of_a_request_without_an_authenticated_key_is_an_error_not_a_default()
    {
        var context = new DefaultHttpContext();
        Assert.Throws<InvalidOperationException>(() => context.TenantId());
    }
}
