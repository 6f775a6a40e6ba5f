namespace Pipeline.Storage;

/// <summary>Bound from configuration section "ObjectStore"; checked by <see cref="ObjectStoreOptionsValidator"/>.</summary>
public sealed class ObjectStoreOptions
{
    public const string Section = "ObjectStore";

    public const string LocalKind = "local";

    public const string S3Kind = "s3";

    private const long MiB = 1024 * 1024;

    /// <summary>"local" (embedded mode: a folder) or "s3" (the distributed runtime: any S3-compatible server).</summary>
    public string Kind { get; set; } = LocalKind;

    public string LocalRoot { get; set; } = Path.Combine(PipelineHome.Default, "store");

    /// <summary>The S3 endpoint, e.g. http://127.0.0.1:18090. Required for Kind "s3".</summary>
    public string? ServiceUrl { get; set; }

    public string Bucket { get; set; } = "pipeline";

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>The region requests are signed for; S3-compatible servers mostly accept us-east-1.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>http://host/bucket/key instead of http://bucket.host/key: what self-hosted servers (Swift, MinIO) answer.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Streams that end before this many bytes go up in one PUT; longer ones as a multipart upload.</summary>
    public long MultipartThresholdBytes { get; set; } = 16 * MiB;

    /// <summary>Size of each multipart part. S3 requires at least 5 MiB for every part but the last.</summary>
    public long PartSizeBytes { get; set; } = 8 * MiB;

    /// <summary>Where <see cref="IObjectStore.GetLocalFileAsync"/> puts downloaded copies for tools that read files.</summary>
    public string ScratchRoot { get; set; } = Path.Combine(PipelineHome.Default, "s3-scratch");
}
