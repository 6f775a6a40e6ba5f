namespace Pipeline.Contracts.Jobs;

/// <summary>Which renderer draws the face: "auto" picks the mode's default (exemplar for dub, warp for animate).</summary>
public sealed record BackendSpec(string Name = "auto", string? ModelManifestKey = null)
{
    public static BackendSpec Auto { get; } = new();
}
