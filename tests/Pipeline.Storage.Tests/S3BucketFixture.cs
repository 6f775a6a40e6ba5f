using Amazon.S3;
using Amazon.S3.Model;
using Pipeline.TestSupport;

namespace Pipeline.Storage.Tests;

/// <summary>
/// A bucket of its own for one test class on the real S3 server, emptied and removed afterwards. Nothing here
/// touches the network until a test opens the store with <see cref="Open"/>, which requires the server first.
/// </summary>
public sealed class S3BucketFixture : IAsyncDisposable
{
    private const long MiB = 1024 * 1024;

    public S3BucketFixture()
    {
        Options = new ObjectStoreOptions
        {
            Kind = ObjectStoreOptions.S3Kind,
            ServiceUrl = TestServers.S3Url.ToString(),
            Bucket = "t-" + Guid.NewGuid().ToString("N")[..12],
            AccessKey = TestServers.S3AccessKey,
            SecretKey = TestServers.S3SecretKey,
            // Small enough that a 12 MiB stream is three parts, and S3's minimum part size.
            MultipartThresholdBytes = 5 * MiB,
            PartSizeBytes = 5 * MiB,
            ScratchRoot = Scratch.Path,
        };
        Store = new S3ObjectStore(Options);
        Client = S3ObjectStore.CreateClient(Options);
    }

    private bool _used;

    public ScratchDirectory Scratch { get; } = new("s3-scratch");

    public ObjectStoreOptions Options { get; }

    private S3ObjectStore Store { get; }

    /// <summary>A client of its own, to check what the store left on the server behind its back.</summary>
    public AmazonS3Client Client { get; }

    /// <summary>The store on this class's bucket; skips the test when the server is absent (fails under CI).</summary>
    public S3ObjectStore Open()
    {
        TestServers.RequireS3();
        _used = true;
        return Store;
    }

    public async Task<List<Amazon.S3.Model.MultipartUpload>> PendingUploadsAsync(CancellationToken ct)
    {
        var response = await Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Options.Bucket }, ct);
        return response.MultipartUploads ?? [];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_used)
            {
                await EmptyAndDeleteBucketAsync();
            }
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            // The tests that ran failed before the store created its bucket: nothing to remove.
        }
        finally
        {
            Store.Dispose();
            Client.Dispose();
            Scratch.Dispose();
        }
    }

    private async Task EmptyAndDeleteBucketAsync()
    {
        foreach (var upload in await PendingUploadsAsync(CancellationToken.None))
        {
            await Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Options.Bucket, Key = upload.Key, UploadId = upload.UploadId });
        }

        var keys = new List<string>();
        await foreach (var o in Store.ListAsync(string.Empty))
        {
            keys.Add(o.Key);
        }

        foreach (var key in keys)
        {
            await Store.DeleteAsync(key);
        }

        await Client.DeleteBucketAsync(Options.Bucket);
    }
}
