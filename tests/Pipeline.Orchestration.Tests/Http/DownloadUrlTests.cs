using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.Api.Http;
using Pipeline.Api.Http.Downloads;
using Pipeline.Api.Persistence;
using Pipeline.Storage;
using Pipeline.TestSupport;

namespace Pipeline.Orchestration.Tests.Http;

/// <summary>
/// Download links on the local store: Api-signed <c>/downloads/{token}</c> URLs that need no key, serve ranges, and
/// answer 403 once expired or tampered with.
/// </summary>
public sealed class DownloadUrlTests
{
    private const string OutputKey = "mux/v1/0123abcd/output.mp4";

    [Fact]
    public async Task The_output_url_serves_the_video_anonymously_with_ranges()
    {
        await using var api = await ApiHost.StartAsync();
        var bytes = await File.ReadAllBytesAsync(TestData.Require("video/retalk_1.mp4"), TestContext.Current.CancellationToken);
        var job = await SucceededJobAsync(api, bytes);

        var link = await LinkAsync(api, $"v1/jobs/{job.Id}/output/url");
        Assert.InRange(link.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        Assert.StartsWith($"{api.Client.BaseAddress}downloads/", link.Url.ToString());

        using var anonymous = new HttpClient();
        using var whole = await anonymous.GetAsync(link.Url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        using var request = new HttpRequestMessage(HttpMethod.Get, link.Url) { Headers = { Range = new RangeHeaderValue(1000, 1999) } };
        using var part = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes[1000..2000], await part.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(bytes.Length, part.Content.Headers.ContentRange?.Length);
    }

    [Fact]
    public async Task A_tampered_or_expired_link_gets_403()
    {
        await using var api = await ApiHost.StartAsync();
        var job = await SucceededJobAsync(api, [1, 2, 3, 4]);
        using var anonymous = new HttpClient();

        var link = await LinkAsync(api, $"v1/jobs/{job.Id}/output/url");
        var token = link.Url.Segments[^1];
        var parts = token.Split('.');

        // Another key under the same signature, a later expiry, a flipped signature character: none is honoured.
        var otherKey = Convert.ToBase64String("inputs/x/y.mp4"u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var forged = new[]
        {
            $"{otherKey}.{parts[1]}.{parts[2]}",
            $"{parts[0]}.{long.Parse(parts[1]) + 3600}.{parts[2]}",
            $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}",
            "garbage",
        };
        foreach (var bad in forged)
        {
            using var refused = await anonymous.GetAsync(new Uri(link.Url, bad), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var shortLived = await LinkAsync(api, $"v1/jobs/{job.Id}/output/url?ttl=1");
        var expiredAt = shortLived.ExpiresAt;
        await Task.Delay(expiredAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        using var expired = await anonymous.GetAsync(shortLived.Url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);

        using var badTtl = await api.Client.GetAsync($"v1/jobs/{job.Id}/output/url?ttl=0", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, badTtl.StatusCode);
        var capped = await LinkAsync(api, $"v1/jobs/{job.Id}/output/url?ttl=99999999");
        Assert.InRange(capped.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromDays(6.99), TimeSpan.FromDays(7.01));
    }

    [Fact]
    public async Task Artifact_urls_cover_only_what_the_job_names_and_other_tenants_see_nothing()
    {
        await using var api = await ApiHost.StartAsync();
        var job = await SucceededJobAsync(api, [9, 9, 9]);
        await api.Store.PutAsync("mux/v1/0123abcd/thumb.jpg", new MemoryStream([7, 7]), ct: TestContext.Current.CancellationToken);
        await api.Store.PutAsync("mux/v1/ffff/other.jpg", new MemoryStream([6]), ct: TestContext.Current.CancellationToken);
        var foreign = JobRows.Job("other", JobStatus.Succeeded, DateTimeOffset.UtcNow);
        foreign.OutputKey = OutputKey;
        await JobRows.AddAsync(api, foreign);

        var thumb = await LinkAsync(api, $"v1/jobs/{job.Id}/artifact-url/mux/v1/0123abcd/thumb.jpg");
        using var anonymous = new HttpClient();
        Assert.Equal([7, 7], await anonymous.GetByteArrayAsync(thumb.Url, TestContext.Current.CancellationToken));

        using var unnamed = await api.Client.GetAsync($"v1/jobs/{job.Id}/artifact-url/mux/v1/ffff/other.jpg", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unnamed.StatusCode);
        using var theirs = await api.Client.GetAsync($"v1/jobs/{foreign.Id}/output/url", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
    }

    [Fact]
    public void A_generated_signing_secret_is_kept_so_links_outlive_a_restart()
    {
        using var scratch = new ScratchDirectory("signer");
        var store = Options.Create(new ObjectStoreOptions { LocalRoot = scratch.Path });
        var unset = Options.Create(new DownloadOptions());
        var expires = DateTimeOffset.UtcNow.AddHours(1);

        var token = new DownloadSigner(unset, store).Sign("mux/v1/a/output.mp4", expires);
        Assert.Equal("mux/v1/a/output.mp4", new DownloadSigner(unset, store).Verify(token, DateTimeOffset.UtcNow));
        Assert.True(File.Exists(Path.Combine(scratch.Path, DownloadSigner.GeneratedKeyFile)));

        // A configured secret wins, and a token signed with another secret is refused.
        var configured = new DownloadSigner(Options.Create(new DownloadOptions { DownloadSigningKey = "replica-shared-secret" }), store);
        Assert.Null(configured.Verify(token, DateTimeOffset.UtcNow));
        Assert.Null(new DownloadSigner(unset, store).Verify(token, expires.AddSeconds(1)));
    }

    private static async Task<JobRecord> SucceededJobAsync(ApiHost api, byte[] output)
    {
        await api.Store.PutAsync(OutputKey, new MemoryStream(output), ct: TestContext.Current.CancellationToken);
        var job = JobRows.Job(ApiHost.Tenant, JobStatus.Succeeded, DateTimeOffset.UtcNow);
        job.OutputKey = OutputKey;
        job.OutputSizeBytes = output.Length;
        job.Stages.Add(new StageRunRecord
        {
            JobId = job.Id,
            Node = "mux",
            Stage = Pipeline.Contracts.Stages.StageKind.Mux,
            Status = StageRunStatus.Succeeded,
            ResultJson = JsonSerializer.Serialize(new { output = new { key = OutputKey }, thumbnail = new { key = "mux/v1/0123abcd/thumb.jpg" } }),
        });
        await JobRows.AddAsync(api, job);
        return job;
    }

    private static async Task<DownloadLink> LinkAsync(ApiHost api, string url)
    {
        using var response = await api.Client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return (await response.Content.ReadFromJsonAsync<DownloadLink>(TestContext.Current.CancellationToken))!;
    }
}

/// <summary>On the S3 store the link is the store's own presigned GET: fetched straight from S3, without the Api.</summary>
public sealed class S3DownloadUrlTests
{
    [Fact]
    public async Task The_output_url_is_an_s3_presigned_get()
    {
        TestServers.RequireS3();
        var bucket = "t-api-" + Guid.NewGuid().ToString("N")[..10];
        using var scratch = new ScratchDirectory("s3-api");
        await using (var api = await ApiHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ObjectStore:Kind"] = ObjectStoreOptions.S3Kind,
            ["ObjectStore:ServiceUrl"] = TestServers.S3Url.ToString(),
            ["ObjectStore:Bucket"] = bucket,
            ["ObjectStore:AccessKey"] = TestServers.S3AccessKey,
            ["ObjectStore:SecretKey"] = TestServers.S3SecretKey,
            ["ObjectStore:ScratchRoot"] = scratch.Path,
        }))
        {
            const string key = "mux/v1/5555/output.mp4";
            byte[] bytes = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];
            await api.Store.PutAsync(key, new MemoryStream(bytes), "video/mp4", TestContext.Current.CancellationToken);
            var job = JobRows.Job(ApiHost.Tenant, JobStatus.Succeeded, DateTimeOffset.UtcNow);
            job.OutputKey = key;
            await JobRows.AddAsync(api, job);

            using var response = await api.Client.GetAsync($"v1/jobs/{job.Id}/output/url?ttl=600", TestContext.Current.CancellationToken);
            var link = (await response.Content.ReadFromJsonAsync<DownloadLink>(TestContext.Current.CancellationToken))!;
            Assert.Equal(TestServers.S3Url.Authority, link.Url.Authority);
            Assert.Contains("X-Amz-Signature=", link.Url.Query);
            Assert.InRange(link.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
            using var anonymous = new HttpClient();
            Assert.Equal(bytes, await anonymous.GetByteArrayAsync(link.Url, TestContext.Current.CancellationToken));

            using var request = new HttpRequestMessage(HttpMethod.Get, link.Url) { Headers = { Range = new RangeHeaderValue(100, 199) } };
            using var part = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal(bytes[100..200], await part.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
            await api.Store.DeleteAsync(key, TestContext.Current.CancellationToken);
        }

        using var s3 = new Amazon.S3.AmazonS3Client(
            new Amazon.Runtime.BasicAWSCredentials(TestServers.S3AccessKey, TestServers.S3SecretKey),
            new Amazon.S3.AmazonS3Config { ServiceURL = TestServers.S3Url.ToString(), ForcePathStyle = true });
        await s3.DeleteBucketAsync(bucket, TestContext.Current.CancellationToken);
    }
}
