using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Pipeline.Storage;

/// <summary>
/// The object store of the distributed runtime: one bucket on an S3-compatible server (tested against
/// OpenStack Swift's s3api).
/// <para>
/// Atomicity: a PUT and a CompleteMultipartUpload are atomic on S3, so an object appears whole or not at all
/// and writes go straight to their key, with no temporary object to rename. A multipart upload that fails
/// for any reason is aborted (best effort) so no parts are left behind; uploads orphaned by a crashed
/// process are aborted at start-up by <see cref="S3StaleUploadCleanup"/> via
/// <see cref="AbortStaleMultipartUploadsAsync"/>.
/// </para>
/// <para>
/// Memory: a stream is read into one pooled buffer of max(threshold, part size); a stream that ends before
/// the threshold goes up in one PUT, a longer one as parts of <see cref="ObjectStoreOptions.PartSizeBytes"/>,
/// never the whole file. The SDK's TransferUtility is not used: it fails over plain HTTP.
/// </para>
/// <para>
/// Swift compatibility: no chunked (aws-chunked) uploads, checksums only when an operation requires them,
/// path-style addressing, and single-object deletes (Swift's batch delete demands Content-MD5).
/// </para>
/// </summary>
public sealed partial class S3ObjectStore : IObjectStore, IPresignedUrls, IDisposable
{
    private readonly AmazonS3Client _s3;
    private readonly ObjectStoreOptions _options;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _bucketLock = new(1, 1);
    private volatile bool _bucketReady;

    public S3ObjectStore(IOptions<ObjectStoreOptions> options, ILogger<S3ObjectStore> log)
        : this(options.Value, log)
    {
    }

    public S3ObjectStore(ObjectStoreOptions options, ILogger? log = null)
    {
        var failures = ObjectStoreOptionsValidator.Check(options);
        if (options.Kind != ObjectStoreOptions.S3Kind || failures.Count > 0)
        {
            throw new ArgumentException(
                $"S3ObjectStore needs ObjectStore:Kind 's3' and valid settings: {string.Join("; ", failures.DefaultIfEmpty($"Kind is '{options.Kind}'"))}",
                nameof(options));
        }

        _options = options;
        _log = log ?? NullLogger.Instance;
        _s3 = CreateClient(options);
    }

    public string Bucket => _options.Bucket;

    /// <summary>Keys per ListObjectsV2 page; tests lower it to exercise pagination.</summary>
    internal int ListPageSize { get; set; } = 1000;

    /// <summary>A client configured as Swift's s3api needs it; the tests use one to look behind the store.</summary>
    internal static AmazonS3Client CreateClient(ObjectStoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // The SDK's default (checksums on every request, in trailers) needs aws-chunked encoding, which Swift rejects.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        return new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public async Task<ObjectInfo?> StatAsync(string key, CancellationToken ct = default)
    {
        ObjectKey.Validate(key);
        await EnsureBucketAsync(ct);
        try
        {
            var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, ct);
            return new ObjectInfo(key, head.ContentLength, ToOffset(head.LastModified), head.Headers.ContentType);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct = default)
    {
        ObjectKey.Validate(key);
        await EnsureBucketAsync(ct);
        try
        {
            var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key }, ct);
            return new OwnedReadStream(response.ResponseStream, response, response.ContentLength);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            throw new ObjectNotFoundException(key);
        }
    }

    public async Task<LocalFileLease> GetLocalFileAsync(string key, CancellationToken ct = default)
    {
        ObjectKey.Validate(key);
        Directory.CreateDirectory(_options.ScratchRoot);
        // Unique per call: two stages reading the same artifact each get, and delete, their own copy.
        var path = Path.Combine(Path.GetFullPath(_options.ScratchRoot), $"{Guid.NewGuid():N}-{key[(key.LastIndexOf('/') + 1)..]}");
        try
        {
            await using var source = await OpenReadAsync(key, ct);
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
            await source.CopyToAsync(target, 1 << 20, ct);
        }
        catch
        {
            new LocalFileLease(path, deleteOnDispose: true).Dispose();
            throw;
        }

        return new LocalFileLease(path, deleteOnDispose: true);
    }

    public async Task DeleteAsync(string key, CancellationToken ct = default)
    {
        ObjectKey.Validate(key);
        await EnsureBucketAsync(ct);
        // Deleting a missing key succeeds on S3, as it does for the local store.
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, ct);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ObjectKey.ValidatePrefix(prefix);
        await EnsureBucketAsync(ct);
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, MaxKeys = ListPageSize };
        while (true)
        {
            var page = await _s3.ListObjectsV2Async(request, ct);
            foreach (var o in page.S3Objects ?? [])
            {
                yield return new ObjectInfo(o.Key, o.Size ?? 0, ToOffset(o.LastModified));
            }

            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public Uri? GetDownloadUrl(string key, TimeSpan lifetime)
    {
        ObjectKey.Validate(key);
        // SigV4 query signatures are valid for at most seven days.
        if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(7))
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "a download URL lives between 0 and 7 days");
        }

        var url = _s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow + lifetime,
            // The SDK signs an https URL unless told otherwise, even for an http ServiceURL.
            Protocol = new Uri(_options.ServiceUrl!).Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
        });
        return new Uri(url);
    }

    /// <summary>
    /// Aborts multipart uploads begun more than <paramref name="olderThan"/> ago: the parts of a writer that
    /// crashed mid-upload, which S3 keeps (and bills) until aborted. Returns how many were aborted.
    /// </summary>
    public async Task<int> AbortStaleMultipartUploadsAsync(TimeSpan olderThan, CancellationToken ct = default)
    {
        await EnsureBucketAsync(ct);
        var cutoff = DateTime.UtcNow - olderThan;
        var aborted = 0;
        var request = new ListMultipartUploadsRequest { BucketName = Bucket };
        while (true)
        {
            var page = await _s3.ListMultipartUploadsAsync(request, ct);
            foreach (var upload in page.MultipartUploads ?? [])
            {
                if (upload.Initiated is { } started && started.ToUniversalTime() > cutoff)
                {
                    continue;
                }

                await _s3.AbortMultipartUploadAsync(
                    new AbortMultipartUploadRequest { BucketName = Bucket, Key = upload.Key, UploadId = upload.UploadId },
                    ct);
                _log.LogInformation("Aborted stale multipart upload of {Key} begun {Initiated:o}", upload.Key, upload.Initiated);
                aborted++;
            }

            if (page.IsTruncated != true)
            {
                return aborted;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    public void Dispose()
    {
        _s3.Dispose();
        _bucketLock.Dispose();
    }

    /// <summary>Creates the bucket on first use, once, however many callers race to it.</summary>
    private async Task EnsureBucketAsync(CancellationToken ct)
    {
        if (_bucketReady)
        {
            return;
        }

        await _bucketLock.WaitAsync(ct);
        try
        {
            if (_bucketReady)
            {
                return;
            }

            try
            {
                await _s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, UseClientRegion = false }, ct);
                _log.LogInformation("Created bucket {Bucket}", Bucket);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
            }

            _bucketReady = true;
        }
        finally
        {
            _bucketLock.Release();
        }
    }

    private static bool IsNotFound(AmazonS3Exception e) =>
        e.ErrorCode != "NoSuchBucket" && (e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode is "NoSuchKey" or "NotFound");

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } t ? new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch;
}
