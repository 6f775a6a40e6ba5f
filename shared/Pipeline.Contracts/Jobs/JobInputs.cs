using Pipeline.Contracts.Artifacts;

namespace Pipeline.Contracts.Jobs;

/// <summary>What a job starts from. Which fields are required depends on the <see cref="JobMode"/>.</summary>
public sealed record JobInputs(
    ArtifactRef? Video = null,
    ArtifactRef? Image = null,
    ArtifactRef? Audio = null,
    string? Text = null,
    string? Voice = null,
    string? Language = null);
