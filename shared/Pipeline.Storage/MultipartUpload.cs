using Amazon.S3.Model;

namespace Pipeline.Storage;

/// <summary>One multipart upload in progress: its id and the ETags of the parts sent so far, in order.</summary>
internal sealed class MultipartUpload(string key, string id)
{
    public const int MaxParts = 10_000;

    private readonly List<PartETag> _parts = [];

    public string Key { get; } = key;

    public string Id { get; } = id;

    public IReadOnlyList<PartETag> Parts => _parts;

    /// <summary>S3 numbers parts 1..10000; past that the upload can never complete, so fail before sending with the reason.</summary>
    public int NextPartNumber => _parts.Count < MaxParts
        ? _parts.Count + 1
        : throw new InvalidOperationException($"'{Key}' needs more than {MaxParts} parts: raise ObjectStore:PartSizeBytes");

    public long Bytes { get; private set; }

    public void Add(string etag, long size)
    {
        _parts.Add(new PartETag(_parts.Count + 1, etag));
        Bytes += size;
    }
}
