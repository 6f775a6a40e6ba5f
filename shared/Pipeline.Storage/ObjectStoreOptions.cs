namespace Pipeline.Storage;

/// <summary>Bound from configuration section "ObjectStore".</summary>
public sealed class ObjectStoreOptions
{
    public const string Section = "ObjectStore";

    /// <summary>"local" (embedded mode). "s3" arrives with the distributed runtime.</summary>
    public string Kind { get; set; } = "local";

    public string LocalRoot { get; set; } = Path.Combine(PipelineHome.Default, "store");
}
