using Pipeline.Contracts.Artifacts;
using Pipeline.Contracts.Jobs;

namespace Pipeline.Contracts.Stages;

/// <summary>Render one chunk: only the lower face changes, every other pixel is the original.</summary>
public sealed record RenderChunk(
    Guid JobId,
    ChunkRange Chunk,
    ArtifactRef Video,
    ArtifactRef Motion,
    ArtifactRef Track,
    BackendSpec Backend,
    OutputSettings Output);

public sealed record ChunkRendered(Guid JobId, int ChunkIndex, ArtifactRef Chunk, StageReport Report);
