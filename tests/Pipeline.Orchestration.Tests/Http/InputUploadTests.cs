using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Api.Http.Auth;
using Pipeline.Storage;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>PUT /v1/inputs/{sha256}/{name}: only bytes that match their declared hash, within the size limit, are stored.</summary>
public sealed class InputUploadTests
{
    private static readonly byte[] Bytes = RandomNumberGenerator.GetBytes(200_000);
    private static readonly string Sha = Convert.ToHexStringLower(SHA256.HashData(Bytes));

    [Fact]
    public async Task An_upload_is_stored_under_its_hash_once_and_a_second_upload_is_skipped()
    {
        await using var api = await ApiHost.StartAsync();

        using var head = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v1/inputs/{Sha}/clip.mp4"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);

        using var first = await api.PutInputAsync(Sha, "clip.mp4", Bytes, declareLength: false);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var stored = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(TenantInputs.Key(ApiHost.Tenant, Sha, "clip.mp4"), stored.GetProperty("key").GetString());
        await using (var read = await api.Store.OpenReadAsync(stored.GetProperty("key").GetString()!, TestContext.Current.CancellationToken))
        {
            Assert.Equal(Sha, await ArtifactKeys.Sha256HexAsync(read, TestContext.Current.CancellationToken));
        }

        using var second = await api.PutInputAsync(Sha, "clip.mp4", Bytes);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("alreadyStored").GetBoolean());
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_declared_hash_are_refused_and_never_stored()
    {
        await using var api = await ApiHost.StartAsync();
        var tampered = (byte[])Bytes.Clone();
        tampered[^1] ^= 0xFF;

        using var response = await api.PutInputAsync(Sha, "clip.mp4", tampered, declareLength: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("SHA-256", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Null(await api.Store.StatAsync(TenantInputs.Key(ApiHost.Tenant, Sha, "clip.mp4"), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_upload_over_the_limit_gets_413_and_nothing_is_stored(bool declareLength)
    {
        await using var api = await ApiHost.StartAsync(maxUploadBytes: 100_000);

        using var response = await api.PutInputAsync(Sha, "clip.mp4", Bytes, declareLength);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Null(await api.Store.StatAsync(TenantInputs.Key(ApiHost.Tenant, Sha, "clip.mp4"), TestContext.Current.CancellationToken));

        // Not under another name either, nor a temporary file left behind: the store holds nothing at all.
        Assert.Empty(api.StoredFiles());
    }

    [Theory]
    [InlineData("not-a-hash")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    public async Task A_path_without_a_lowercase_sha256_is_a_bad_request(string sha)
    {
        await using var api = await ApiHost.StartAsync();

        using var response = await api.PutInputAsync(sha, "clip.mp4", Bytes);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
