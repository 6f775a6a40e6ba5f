using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Orchestration.Tests.Http.Auth;

/// <summary>
/// Tenant A can never see, download, cancel or reference tenant B's jobs, artifacts or inputs, tried on every route
/// under /v1 the app maps (enumerated, so endpoints added later are tried too), with B's real ids and keys.
/// </summary>
public sealed class TenantIsolationTests
{
    /// <summary>Routes the positive control must find, so a broken enumeration cannot pass vacuously.</summary>
    private static readonly string[] KnownReads =
    [
        "GET /v1/jobs/{id:guid}", "GET /v1/jobs/{id:guid}/output", "GET /v1/jobs/{id:guid}/artifacts/{**key}",
        "GET /v1/inputs/{sha256}/{name}", "HEAD /v1/inputs/{sha256}/{name}",
    ];

    [Fact]
    public async Task Every_route_answers_tenant_A_about_tenant_B_s_resources_as_if_they_did_not_exist()
    {
        await using var t = await TwoTenants.StartAsync();
        var routes = V1Route.All(t.Api.Services);
        var bPrefix = t.BKey.Substring(3, 12);
        var b = new Dictionary<string, string>
        {
            ["id"] = t.BJob.ToString(),
            ["key"] = t.BInput.Ref.Key,
            ["sha256"] = t.BInput.Sha256,
            ["name"] = t.BInput.Name,
            ["prefix"] = bPrefix,
        };
        var missingSha = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var missing = new Dictionary<string, string>
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["key"] = $"inputs/{TwoTenants.TenantB}/{missingSha}/{t.BInput.Name}",
            ["sha256"] = missingSha,
            ["name"] = t.BInput.Name,
            ["prefix"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
        };

        // Unknown parameters (routes added later) get B's job id: the most sensitive id there is to probe with.
        string B(string name) => b.GetValueOrDefault(name, t.BJob.ToString());
        string Missing(string name) => missing.GetValueOrDefault(name, missing["id"]);

        string[] secrets = [t.BJob.ToString(), t.BInput.Ref.Key, t.BInput.Sha256, t.BOutputKey, t.BOutputContent, TwoTenants.TenantB, bPrefix, t.BKey];
        var body = t.SpecJson(t.BInput.Ref, t.BInput.Ref);
        var tried = new List<string>();
        foreach (var route in routes)
        {
            if (route.Parameters.Count == 0)
            {
                // Lists and submissions: whatever A gets, none of it is B's.
                var (status, text) = await SendAsync(t.A, route, route.Url(_ => string.Empty), body);
                Assert.True(status < 500, $"{route}: {status} {text}");
                AssertNoLeak(route, route.Url(_ => string.Empty), body, text, secrets);
                tried.Add(route.ToString());
                continue;
            }

            var bUrl = route.Url(B);
            var (bStatus, bText) = await SendAsync(t.A, route, bUrl, body);
            Assert.True(bStatus is >= 400 and < 500, $"{route} as tenant A with tenant B's {string.Join(", ", route.Parameters)}: {bStatus} {bText}");
            AssertNoLeak(route, bUrl, body, bText, secrets);

            // Exactly what a resource that never existed gets: same status, same body once the ids are set aside.
            var missingUrl = route.Url(Missing);
            var (missingStatus, missingText) = await SendAsync(t.A, route, missingUrl, body);
            Assert.True(bStatus == missingStatus, $"{route}: {bStatus} for B's resource, {missingStatus} for a missing one");
            Assert.Equal(Neutral(missingText, route.Parameters.Select(Missing)), Neutral(bText, route.Parameters.Select(B)));

            // A's own job id with B's artifact key, input or key prefix: still none of B's.
            if (route.Parameters.Contains("id") && route.Parameters.Count > 1)
            {
                var mixedUrl = route.Url(name => name == "id" ? t.AJob.ToString() : B(name));
                var (mixedStatus, mixedText) = await SendAsync(t.A, route, mixedUrl, body);
                Assert.True(mixedStatus is >= 400 and < 500, $"{route} as tenant A on its own job with tenant B's values: {mixedStatus} {mixedText}");
                AssertNoLeak(route, mixedUrl, body, mixedText, secrets);
            }

            // The positive control: the same request as B does reach B's resource.
            if (KnownReads.Contains(route.ToString()))
            {
                var (ownerStatus, _) = await SendAsync(t.B, route, bUrl, body);
                Assert.True(ownerStatus == 200, $"{route} as tenant B on its own resource: {ownerStatus}");
            }

            tried.Add(route.ToString());
        }

        Assert.Superset(KnownReads.ToHashSet(), tried.ToHashSet());
        Assert.Contains("POST /v1/jobs/{id:guid}/cancel", tried);

        // Nothing A sent changed B's things: its job is still done, its input intact, its key still works.
        using var job = await t.B.GetAsync($"v1/jobs/{t.BJob}", TestContext.Current.CancellationToken);
        Assert.Equal("Succeeded", (await job.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString());
        await using (var stored = await t.Api.Store.OpenReadAsync(t.BInput.Ref.Key, TestContext.Current.CancellationToken))
        {
            Assert.Equal(t.BInput.Sha256, await Pipeline.Storage.ArtifactKeys.Sha256HexAsync(stored, TestContext.Current.CancellationToken));
        }

        Assert.False(await t.Api.WithDbAsync(db => db.Jobs.AnyAsync(j => j.TenantId == ApiHost.Tenant && j.SpecJson.Contains(t.BInput.Sha256), TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task A_job_list_holds_only_the_caller_s_jobs()
    {
        await using var t = await TwoTenants.StartAsync();

        foreach (var query in new[] { "v1/jobs", "v1/jobs?limit=1000", "v1/jobs?status=succeeded", "v1/jobs?status=failed" })
        {
            var a = await IdsAsync(t.A, query);
            var b = await IdsAsync(t.B, query);
            Assert.DoesNotContain(t.BJob, a);
            Assert.DoesNotContain(t.AJob, b);
        }

        Assert.Equal([t.AJob], await IdsAsync(t.A, "v1/jobs"));
        Assert.Equal([t.BJob], await IdsAsync(t.B, "v1/jobs"));
    }

    [Fact]
    public async Task Inputs_are_kept_per_tenant_and_a_spec_cannot_name_another_tenant_s()
    {
        await using var t = await TwoTenants.StartAsync();
        var ct = TestContext.Current.CancellationToken;

        // B's upload is under B's prefix; A probing the same hash and name looks under its own and finds nothing.
        Assert.StartsWith($"inputs/{TwoTenants.TenantB}/", t.BInput.Ref.Key);
        using (var probe = await t.A.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v1/inputs/{t.BInput.Sha256}/{t.BInput.Name}"), ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode);
        }

        // A job naming B's input is refused with the same words as one naming an input never uploaded.
        using var stolen = await ApiHost.PostJobAsync(t.A, TwoTenants.Spec(t.BInput.Ref, t.AInput.Ref));
        var never = new ArtifactRef($"inputs/{ApiHost.Tenant}/{new string('c', 64)}/b-video.mp4", 1000);
        using var unknown = await ApiHost.PostJobAsync(t.A, TwoTenants.Spec(never, t.AInput.Ref));
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(
            (await unknown.Content.ReadAsStringAsync(ct)).Replace(never.Key, "KEY"),
            (await stolen.Content.ReadAsStringAsync(ct)).Replace(t.BInput.Ref.Key, "KEY"));

        // So is a model manifest under B's prefix, and a key that climbs out of A's with '..'.
        var manifest = TwoTenants.Spec(t.AInput.Ref, t.AInput.Ref) with
        {
            Options = JobOptions.Default with { Backend = new BackendSpec("onnx", t.BInput.Ref.Key) },
        };
        using var model = await ApiHost.PostJobAsync(t.A, manifest);
        Assert.Equal(HttpStatusCode.BadRequest, model.StatusCode);
        var climbing = new ArtifactRef($"inputs/{ApiHost.Tenant}/../{TwoTenants.TenantB}/{t.BInput.Sha256}/{t.BInput.Name}", 1000);
        using var climb = await ApiHost.PostJobAsync(t.A, TwoTenants.Spec(climbing, t.AInput.Ref));
        Assert.Equal(HttpStatusCode.BadRequest, climb.StatusCode);

        // The same bytes uploaded by A are A's own copy, under A's prefix.
        Assert.StartsWith($"inputs/{ApiHost.Tenant}/", t.AInput.Ref.Key);
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string url)
    {
        var list = await client.GetFromJsonAsync<JsonElement>(url, TestContext.Current.CancellationToken);
        return list.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetGuid()).ToList();
    }

    private static async Task<(int Status, string Text)> SendAsync(HttpClient client, V1Route route, string url, string json)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), url);
        if (!route.IsRead && route.Method != "DELETE")
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        // An event stream never ends: what it sends in its first two seconds (the snapshot) is what is checked.
        var text = new System.Text.StringBuilder();
        using var window = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        window.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(window.Token));
            var buffer = new char[4096];
            int n;
            while ((n = await reader.ReadAsync(buffer, window.Token)) > 0)
            {
                text.Append(buffer, 0, n);
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }

        return ((int)response.StatusCode, text.ToString());
    }

    /// <summary>No secret of B's in the answer, other than what A itself put in the request (and an error may echo).</summary>
    private static void AssertNoLeak(V1Route route, string url, string body, string answer, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => !Uri.UnescapeDataString(url).Contains(s) && !body.Contains(s)))
        {
            Assert.False(answer.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{route} ({url}) showed tenant A '{secret}' of tenant B: {answer}");
        }
    }

    private static string Neutral(string text, IEnumerable<string> values) =>
        values.OrderByDescending(v => v.Length).Aggregate(text, (s, v) => s.Replace(v, "VALUE").Replace(Uri.EscapeDataString(v), "VALUE"));
}
