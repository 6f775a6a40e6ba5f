using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.TestSupport;

namespace Pipeline.Storage.Tests;

/// <summary>The contract and what only S3 has (multipart, presigned URLs, the sweep), against the real Swift server.</summary>
public sealed class S3ObjectStoreTests(S3BucketFixture bucket) : ObjectStoreContractTests, IClassFixture<S3BucketFixture>
{
    private const int MiB = 1024 * 1024;

    protected override IObjectStore OpenStore() => bucket.Open();

    [Theory]
    [InlineData(0)]
    [InlineData((5 * MiB) - 1)]
    [InlineData(5 * MiB)]
    [InlineData(10 * MiB)]
    [InlineData((12 * MiB) + 3)]
    public async Task Streams_of_unknown_length_round_trip_on_both_sides_of_the_threshold(int size)
    {
        var store = bucket.Open();
        var bytes = RandomNumberGenerator.GetBytes(size);
        var key = $"size/v1/h/{size}.bin";

        var info = await store.PutAsync(key, new UnknownLengthStream(bytes), "application/octet-stream", Ct);

        Assert.Equal(size, info.SizeBytes);
        Assert.Equal(size, (await store.StatAsync(key, Ct))?.SizeBytes);
        Assert.Equal(SHA256.HashData(bytes), await Sha256OfObjectAsync(store, key));
        Assert.Empty(await bucket.PendingUploadsAsync(Ct));
    }

    [Fact]
    public async Task A_stream_above_the_threshold_goes_up_in_parts_and_leaves_no_upload_behind()
    {
        var store = bucket.Open();
        var bytes = RandomNumberGenerator.GetBytes(12 * MiB);

        await store.PutAsync("big/v1/h/stream.bin", new UnknownLengthStream(bytes), ct: Ct);

        // A multipart object's ETag is "md5-of-part-md5s-N": three parts of 5, 5 and 2 MiB.
        var head = await bucket.Client.GetObjectMetadataAsync(bucket.Options.Bucket, "big/v1/h/stream.bin", Ct);
        Assert.EndsWith("-3\"", head.ETag, StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(bytes), await Sha256OfObjectAsync(store, "big/v1/h/stream.bin"));
        Assert.Empty(await bucket.PendingUploadsAsync(Ct));
    }

    [Fact]
    public async Task A_threshold_that_is_not_a_whole_number_of_parts_carries_the_remainder_into_the_next_part()
    {
        bucket.Open();
        var o = bucket.Options;
        // 11 MiB buffered: parts of 5 and 5 MiB, then the 1 MiB left over starts the third part.
        using var store = new S3ObjectStore(new ObjectStoreOptions
        {
            Kind = o.Kind,
            ServiceUrl = o.ServiceUrl,
            Bucket = o.Bucket,
            AccessKey = o.AccessKey,
            SecretKey = o.SecretKey,
            ScratchRoot = o.ScratchRoot,
            MultipartThresholdBytes = 11 * MiB,
            PartSizeBytes = 5 * MiB,
        });
        var bytes = RandomNumberGenerator.GetBytes((13 * MiB) + 5);

        await store.PutAsync("odd/v1/h/stream.bin", new UnknownLengthStream(bytes), ct: Ct);

        var head = await bucket.Client.GetObjectMetadataAsync(o.Bucket, "odd/v1/h/stream.bin", Ct);
        Assert.EndsWith("-3\"", head.ETag, StringComparison.Ordinal);
        Assert.Equal(bytes.Length, head.ContentLength);
        Assert.Equal(SHA256.HashData(bytes), await Sha256OfObjectAsync(store, "odd/v1/h/stream.bin"));
        Assert.Empty(await bucket.PendingUploadsAsync(Ct));
    }

    [Fact]
    public async Task A_large_file_goes_up_in_parts_read_from_disk()
    {
        var store = bucket.Open();
        var bytes = RandomNumberGenerator.GetBytes((11 * MiB) + 17);
        var path = bucket.Scratch.File($"{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(path, bytes, Ct);

        var info = await store.PutFileAsync("big/v1/h/file.bin", path, ct: Ct);

        Assert.Equal(bytes.Length, info.SizeBytes);
        var head = await bucket.Client.GetObjectMetadataAsync(bucket.Options.Bucket, "big/v1/h/file.bin", Ct);
        Assert.EndsWith("-3\"", head.ETag, StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(bytes), await Sha256OfObjectAsync(store, "big/v1/h/file.bin"));
        Assert.Empty(await bucket.PendingUploadsAsync(Ct));
        File.Delete(path);
    }

    [Fact]
    public async Task A_stream_that_fails_after_its_first_part_leaves_no_object_and_no_pending_upload()
    {
        var store = bucket.Open();

        // 7 MiB: the first 5 MiB part is sent, then the producer dies.
        await Assert.ThrowsAsync<IOException>(() => store.PutAsync("broken/v1/h/stream.bin", new FailingStream(7L * MiB), ct: Ct));

        Assert.Null(await store.StatAsync("broken/v1/h/stream.bin", Ct));
        Assert.Empty(await bucket.PendingUploadsAsync(Ct));
    }

    [Fact]
    public async Task A_write_cancelled_midway_is_aborted_too()
    {
        var store = bucket.Open();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stream = new UnknownLengthStream(new byte[12 * MiB], afterBytes: 6 * MiB, cancel.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.PutAsync("cancelled/v1/h/stream.bin", stream, ct: cancel.Token));

        Assert.Null(await store.StatAsync("cancelled/v1/h/stream.bin", Ct));
        Assert.Empty(await bucket.PendingUploadsAsync(Ct));
    }

    [Fact]
    public async Task Listing_follows_continuation_pages()
    {
        var store = bucket.Open();
        var expected = Enumerable.Range(0, 7).Select(i => $"page/v1/h/{i:D2}.bin").ToList();
        foreach (var key in expected)
        {
            await store.PutAsync(key, new MemoryStream([1]), ct: Ct);
        }

        await store.PutAsync("pages/v1/h/outside.bin", new MemoryStream([1]), ct: Ct);
        store.ListPageSize = 3;
        try
        {
            var keys = new List<string>();
            await foreach (var o in store.ListAsync("page/", Ct))
            {
                keys.Add(o.Key);
            }

            Assert.Equal(expected, keys);
        }
        finally
        {
            store.ListPageSize = 1000;
        }
    }

    [Fact]
    public async Task A_local_file_lease_is_a_scratch_copy_deleted_on_dispose()
    {
        var store = bucket.Open();
        await store.PutAsync("lease/v1/h/audio.wav", new MemoryStream([9, 8, 7]), ct: Ct);

        var lease = await store.GetLocalFileAsync("lease/v1/h/audio.wav", Ct);
        var second = await store.GetLocalFileAsync("lease/v1/h/audio.wav", Ct);

        Assert.StartsWith(bucket.Scratch.Path, lease.Path, StringComparison.Ordinal);
        Assert.NotEqual(lease.Path, second.Path);
        Assert.Equal([9, 8, 7], await File.ReadAllBytesAsync(lease.Path, Ct));
        lease.Dispose();
        Assert.False(File.Exists(lease.Path));
        Assert.True(File.Exists(second.Path));
        second.Dispose();
        Assert.False(File.Exists(second.Path));
    }

    [Fact]
    public async Task A_presigned_url_downloads_the_bytes_and_a_tampered_one_is_refused()
    {
        var store = bucket.Open();
        var bytes = RandomNumberGenerator.GetBytes(70_000);
        await store.PutAsync("url/v1/h/out.mp4", new MemoryStream(bytes), "video/mp4", Ct);
        using var http = new HttpClient();

        var url = store.GetDownloadUrl("url/v1/h/out.mp4", TimeSpan.FromMinutes(5));

        Assert.NotNull(url);
        Assert.Equal(Uri.UriSchemeHttp, url.Scheme);
        Assert.Equal(bytes, await http.GetByteArrayAsync(url, Ct));
        var signature = System.Text.RegularExpressions.Regex.Match(url.Query, "X-Amz-Signature=([0-9a-f]+)").Groups[1].Value;
        Assert.NotEmpty(signature);
        var forged = signature[..^1] + (signature[^1] == '0' ? '1' : '0');
        using var refused = await http.GetAsync(url.ToString().Replace(signature, forged, StringComparison.Ordinal), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var otherKey = await http.GetAsync(url.ToString().Replace("out.mp4", "other.mp4", StringComparison.Ordinal), Ct);
        Assert.False(otherKey.IsSuccessStatusCode);
    }

    [Fact]
    public void Download_urls_check_the_key_and_lifetime()
    {
        var store = bucket.Open();

        Assert.Throws<ArgumentException>(() => store.GetDownloadUrl("../etc/passwd", TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.GetDownloadUrl("a/b", TimeSpan.FromDays(8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.GetDownloadUrl("a/b", TimeSpan.Zero));
    }

    [Fact]
    public async Task The_sweep_aborts_only_uploads_older_than_asked()
    {
        var store = bucket.Open();
        await store.StatAsync("sweep/v1/h/x.bin", Ct); // creates the bucket
        var orphan = await bucket.Client.InitiateMultipartUploadAsync(bucket.Options.Bucket, "sweep/v1/h/x.bin", Ct);

        Assert.Equal(0, await store.AbortStaleMultipartUploadsAsync(TimeSpan.FromHours(1), Ct));
        Assert.Contains(await bucket.PendingUploadsAsync(Ct), u => u.UploadId == orphan.UploadId);

        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        Assert.Equal(1, await store.AbortStaleMultipartUploadsAsync(TimeSpan.FromSeconds(1), Ct));
        Assert.Empty(await bucket.PendingUploadsAsync(Ct));
    }

    [Fact]
    public async Task Writers_racing_on_a_missing_bucket_create_it_once_and_all_succeed()
    {
        TestServers.RequireS3();
        var options = bucket.Options;
        var fresh = new ObjectStoreOptions
        {
            Kind = options.Kind,
            ServiceUrl = options.ServiceUrl,
            Bucket = "t-" + Guid.NewGuid().ToString("N")[..12],
            AccessKey = options.AccessKey,
            SecretKey = options.SecretKey,
            ScratchRoot = options.ScratchRoot,
        };
        using var store = new S3ObjectStore(fresh);
        var keys = Enumerable.Range(0, 8).Select(i => $"race/v1/h/{i}.bin").ToList();
        try
        {
            await Task.WhenAll(keys.Select(k => store.PutAsync(k, new MemoryStream([1, 2]), ct: Ct)));

            foreach (var k in keys)
            {
                Assert.Equal(2, (await store.StatAsync(k, Ct))?.SizeBytes);
            }
        }
        finally
        {
            foreach (var k in keys)
            {
                await store.DeleteAsync(k, CancellationToken.None);
            }

            await bucket.Client.DeleteBucketAsync(fresh.Bucket, CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_start_up_sweep_spares_an_upload_in_progress()
    {
        var store = bucket.Open();
        await store.StatAsync("sweep/v1/h/live.bin", Ct); // creates the bucket
        var live = await bucket.Client.InitiateMultipartUploadAsync(bucket.Options.Bucket, "sweep/v1/h/live.bin", Ct);
        using var sweep = new S3StaleUploadCleanup(store, NullLogger<S3StaleUploadCleanup>.Instance);

        await sweep.StartAsync(Ct);
        await sweep.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(sweep.ExecuteTask.IsCompletedSuccessfully);
        Assert.Contains(await bucket.PendingUploadsAsync(Ct), u => u.UploadId == live.UploadId);
        await bucket.Client.AbortMultipartUploadAsync(bucket.Options.Bucket, "sweep/v1/h/live.bin", live.UploadId, Ct);
    }

    [Fact]
    public async Task The_start_up_sweep_only_logs_when_the_server_cannot_be_reached()
    {
        TestServers.RequireS3();
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = bucket.Options;
        using var unreachable = new S3ObjectStore(new ObjectStoreOptions
        {
            Kind = options.Kind,
            ServiceUrl = $"http://127.0.0.1:{closedPort}",
            Bucket = options.Bucket,
            AccessKey = options.AccessKey,
            SecretKey = options.SecretKey,
            ScratchRoot = options.ScratchRoot,
        });
        using var sweep = new S3StaleUploadCleanup(unreachable, NullLogger<S3StaleUploadCleanup>.Instance);

        await sweep.StartAsync(Ct);
        await sweep.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.True(sweep.ExecuteTask.IsCompletedSuccessfully);
    }

    private static async Task<byte[]> Sha256OfObjectAsync(IObjectStore store, string key)
    {
        await using var read = await store.OpenReadAsync(key, Ct);
        return await SHA256.HashDataAsync(read, Ct);
    }

    /// <summary>A pipe-like producer: no length, no seeking, small reads; optionally a callback once past a point.</summary>
    private sealed class UnknownLengthStream(byte[] bytes, long afterBytes = long.MaxValue, Action? after = null) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= afterBytes)
            {
                after?.Invoke();
            }

            var n = Math.Min(Math.Min(count, 64 * 1024), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
