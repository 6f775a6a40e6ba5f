using System.Net;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests.Http.Auth;

/// <summary>
/// <c>./pipeline keys</c> as a user runs it, on the embedded job store (PIPELINE_HOME's SQLite file): the key it prints
/// authenticates against an Api on that store, with the scopes asked for, until it is revoked.
/// </summary>
public sealed class KeysCommandTests
{
    // The first ./pipeline run of a checkout builds the CLI.
    private static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Keys_create_prints_a_key_that_authenticates_with_its_scopes_until_keys_revoke()
    {
        using var home = new ScratchDirectory("keys-home");
        var created = await PipelineCli.RunAsync(home.Path, ["keys", "create", "--tenant", "acme", "--scopes", "jobs:read", "--name", "ci"], FirstRun);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var key = created.Stdout.Trim();
        Assert.Matches("^pk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", key);
        var prefix = key.Substring(3, 12);

        var listed = await PipelineCli.RunAsync(home.Path, ["keys", "list", "--tenant", "acme"]);
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        Assert.Contains(prefix, listed.Stdout);
        Assert.Contains("ci", listed.Stdout);
        Assert.DoesNotContain(key, listed.Stdout);

        var bad = await PipelineCli.RunAsync(home.Path, ["keys", "create", "--tenant", "Not A Slug"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("tenant", bad.Stderr);

        await using var api = await ApiHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Api:KeyCacheSeconds"] = "0.5" },
            database: Path.Combine(home.Path, "jobs.db"));
        var client = api.NewClient(key);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v1/jobs", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("v1/jobs/00000000-0000-0000-0000-000000000001/cancel", null, ct)).StatusCode);

        var revoked = await PipelineCli.RunAsync(home.Path, ["keys", "revoke", prefix]);
        Assert.True(revoked.ExitCode == 0, revoked.Stderr);
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("v1/jobs", ct)).StatusCode);
    }
}
