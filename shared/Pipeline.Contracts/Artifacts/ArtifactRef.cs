namespace Pipeline.Contracts.Artifacts;

/// <summary>
/// A reference to an object in the artifact store. Messages carry these, never media bytes.
/// <paramref name="Key"/> is content-addressed (<c>stage/version/sha256/name</c>), so equal keys mean equal bytes.
/// </summary>
public sealed record ArtifactRef(string Key, long SizeBytes, string? ContentType = null);
