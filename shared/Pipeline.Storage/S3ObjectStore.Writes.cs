using System.Buffers;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace Pipeline.Storage;

/// <summary>Writes: one PUT below the threshold, otherwise a multipart upload that is completed or aborted.</summary>
public sealed partial class S3ObjectStore
{
    public async Task<ObjectInfo> PutAsync(string key, Stream content, string? contentType = null, CancellationToken ct = default)
    {
        ObjectKey.Validate(key);
        await EnsureBucketAsync(ct);
        var threshold = (int)_options.MultipartThresholdBytes;
        var partSize = (int)_options.PartSizeBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(threshold, partSize));
        try
        {
            var filled = await FillAsync(content, buffer, 0, threshold, ct);
            if (filled < threshold)
            {
                await PutObjectAsync(key, new MemoryStream(buffer, 0, filled, writable: false), contentType, ct);
                return new ObjectInfo(key, filled, DateTimeOffset.UtcNow, contentType);
            }

            var size = await UploadMultipartAsync(key, contentType, (upload, token) => UploadStreamPartsAsync(upload, content, buffer, filled, partSize, token), ct);
            return new ObjectInfo(key, size, DateTimeOffset.UtcNow, contentType);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<ObjectInfo> PutFileAsync(string key, string path, string? contentType = null, CancellationToken ct = default)
    {
        ObjectKey.Validate(key);
        await EnsureBucketAsync(ct);
        var length = new FileInfo(path).Length;
        if (length < _options.MultipartThresholdBytes)
        {
            await PutObjectAsync(key, File.OpenRead(path), contentType, ct);
            return new ObjectInfo(key, length, DateTimeOffset.UtcNow, contentType);
        }

        // A file's parts are read by the SDK straight from disk at their offsets: nothing is buffered here.
        await UploadMultipartAsync(key, contentType, (upload, token) => UploadFilePartsAsync(upload, path, length, token), ct);
        return new ObjectInfo(key, length, DateTimeOffset.UtcNow, contentType);
    }

    private async Task PutObjectAsync(string key, Stream body, string? contentType, CancellationToken ct)
    {
        // PUT returns no Last-Modified; callers get this machine's clock rather than paying a HEAD per write.
        await using (body)
        {
            await _s3.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    InputStream = body,
                    AutoCloseStream = false,
                    ContentType = contentType,
                    UseChunkEncoding = false,
                },
                ct);
        }
    }

    /// <summary>
    /// Runs one multipart upload: <paramref name="uploadParts"/> sends the parts, then the upload is completed,
    /// which makes the object appear whole. Any failure, cancellation included, aborts it so no parts linger.
    /// </summary>
    private async Task<long> UploadMultipartAsync(
        string key,
        string? contentType,
        Func<MultipartUpload, CancellationToken, Task> uploadParts,
        CancellationToken ct)
    {
        var started = await _s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = contentType },
            ct);
        var upload = new MultipartUpload(key, started.UploadId);
        try
        {
            await uploadParts(upload, ct);
            var complete = new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = upload.Id };
            complete.AddPartETags(upload.Parts);
            await _s3.CompleteMultipartUploadAsync(complete, ct);
            return upload.Bytes;
        }
        catch (Exception failure)
        {
            await AbortAsync(upload, failure);
            throw;
        }
    }

    private async Task UploadStreamPartsAsync(MultipartUpload upload, Stream content, byte[] buffer, int filled, int partSize, CancellationToken ct)
    {
        // The buffer holds the first `threshold` bytes: send the whole parts among them, keep the remainder.
        var start = 0;
        while (filled - start >= partSize)
        {
            await UploadPartAsync(upload, new MemoryStream(buffer, start, partSize, writable: false), partSize, ct);
            start += partSize;
        }

        filled -= start;
        Buffer.BlockCopy(buffer, start, buffer, 0, filled);
        while (true)
        {
            filled = await FillAsync(content, buffer, filled, partSize - filled, ct);
            if (filled > 0)
            {
                await UploadPartAsync(upload, new MemoryStream(buffer, 0, filled, writable: false), filled, ct);
            }

            if (filled < partSize)
            {
                return;
            }

            filled = 0;
        }
    }

    private async Task UploadFilePartsAsync(MultipartUpload upload, string path, long length, CancellationToken ct)
    {
        for (long offset = 0; offset < length; offset += _options.PartSizeBytes)
        {
            var size = Math.Min(_options.PartSizeBytes, length - offset);
            var response = await _s3.UploadPartAsync(
                new UploadPartRequest
                {
                    BucketName = Bucket,
                    Key = upload.Key,
                    UploadId = upload.Id,
                    PartNumber = upload.NextPartNumber,
                    FilePath = path,
                    FilePosition = offset,
                    PartSize = size,
                    UseChunkEncoding = false,
                },
                ct);
            upload.Add(response.ETag, size);
        }
    }

    private async Task UploadPartAsync(MultipartUpload upload, MemoryStream part, long size, CancellationToken ct)
    {
        var response = await _s3.UploadPartAsync(
            new UploadPartRequest
            {
                BucketName = Bucket,
                Key = upload.Key,
                UploadId = upload.Id,
                PartNumber = upload.NextPartNumber,
                InputStream = part,
                PartSize = size,
                UseChunkEncoding = false,
            },
            ct);
        upload.Add(response.ETag, size);
    }

    private async Task AbortAsync(MultipartUpload upload, Exception failure)
    {
        try
        {
            // Not the caller's token: a cancelled write must still clean up its parts.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _s3.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = Bucket, Key = upload.Key, UploadId = upload.Id },
                timeout.Token);
        }
        catch (Exception e)
        {
            // Best effort: the start-up sweep aborts what is left here.
            _log.LogWarning(e, "Could not abort multipart upload {UploadId} of {Key} after {Failure}", upload.Id, upload.Key, failure.Message);
        }
    }

    /// <summary>Reads until <paramref name="count"/> bytes are in the buffer or the stream ends; returns the bytes now held.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, int offset, int count, CancellationToken ct)
    {
        var end = offset;
        while (end < offset + count)
        {
            var n = await content.ReadAsync(buffer.AsMemory(end, offset + count - end), ct);
            if (n == 0)
            {
                break;
            }

            end += n;
        }

        return end;
    }
}
